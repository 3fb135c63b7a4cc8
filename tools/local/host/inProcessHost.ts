// A loopback HTTP front end standing in for the Functions host, serving the registered functions in-process:
// - `/api/<route>` → the registered HTTP function whose route template and method match (as the host routes);
// - `/runtime/webhooks/EventGrid?functionName=<name>` → the local Event Grid webhook: validation handshake, or
//   each event of the array handed to the registered Event Grid trigger with a durable client bound to `durableApi`.
// Function keys are not checked (authLevel is ignored, as under `func start`) unless `functionKeys` is given: then
// routes of authLevel function/admin need one of them as `x-functions-key` or `?code=`, else 401. The tests and the
// embedded local host (`npm start` without `func`, tools/local/embeddedHost.ts) both run on it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse } from './functionsLib.js';
import { asHttpResponse, getRegistered, invokeFunction, newContext, registeredFunctions, type CapturedLog, type LogSink } from './functionsHost.js';
import { durableStarterContext, invokeEventGrid, type FakeDurableApi } from './durableClientApi.js';

export interface InProcessHostOptions {
  /** Port (default: a free one). */
  port?: number;
  /**
   * Loopback addresses to listen on (default 127.0.0.1). The first must succeed; later ones (e.g. `::1`, so that
   * `localhost` works whichever address it resolves to) are skipped where the machine lacks them.
   */
  addresses?: string[];
  /** Where invocation logs go (default: the `logs` array of the host). */
  logs?: LogSink;
  /** Keys accepted for authLevel function/admin routes (`x-functions-key` or `?code=`); default: keys are not checked. */
  functionKeys?: string[];
}

export interface InProcessHost {
  readonly baseUrl: string;
  readonly logs: CapturedLog[];
  close(): Promise<void>;
}

interface HttpRoute {
  name: string;
  methods: string[];
  pattern: RegExp;
  params: string[];
  authLevel: string;
}

function httpRoutes(): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const [name, fn] of registeredFunctions()) {
    const trigger = Object.values(fn.metadata.bindings).find((b) => b.type === 'httpTrigger');
    if (!trigger) continue;
    const template = (trigger.route as string | undefined) ?? name;
    const params: string[] = [];
    const source = template
      .split('/')
      .map((seg) => seg.replace(/\{(\w+)\??\}|[.*+?^$()|[\]\\]/g, (m, p: string | undefined) => (p ? (params.push(p), '([^/]+)') : `\\${m}`)))
      .join('/');
    routes.push({ name, methods: ((trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()), pattern: new RegExp(`^${source}$`, 'i'), params, authLevel: (trigger.authLevel as string | undefined) ?? 'function' });
  }
  return routes;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const notFound = (message: string) => new HttpResponse({ status: 404, jsonBody: { error: { code: 'NotFound', message } } });

export async function startInProcessHost(durableApi: FakeDurableApi, options: InProcessHostOptions = {}): Promise<InProcessHost> {
  const logs: CapturedLog[] = [];
  const sink: LogSink = options.logs ?? logs;
  const pending = new Set<Promise<unknown>>();

  async function handleEventGrid(url: URL, req: http.IncomingMessage, body: Buffer): Promise<HttpResponse> {
    const functionName = url.searchParams.get('functionName') ?? '';
    const fn = registeredFunctions().get(functionName);
    if (!fn || !Object.values(fn.metadata.bindings).some((b) => b.type === 'eventGridTrigger')) {
      return notFound(`No Event Grid trigger named "${functionName}"`);
    }
    let events: unknown;
    try {
      events = JSON.parse(body.toString('utf8'));
    } catch {
      return new HttpResponse({ status: 400, jsonBody: { error: { code: 'BadRequest', message: 'The body is not JSON' } } });
    }
    const list = (Array.isArray(events) ? events : [events]) as { data?: { validationCode?: string } }[];
    if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return new HttpResponse({ status: 200, jsonBody: { validationResponse: list[0]?.data?.validationCode } });
    }
    // The host invokes the trigger once per event; a failure surfaces as an error status Event Grid retries.
    for (const event of list) await invokeEventGrid(functionName, event, durableApi, sink);
    return new HttpResponse({ status: 202 });
  }

  async function handleHttp(url: URL, req: http.IncomingMessage, body: Buffer): Promise<HttpResponse> {
    if (!url.pathname.startsWith('/api/')) return notFound(`Routes are served under /api/ (got ${url.pathname})`);
    const path = url.pathname.slice('/api/'.length);
    const method = (req.method ?? 'GET').toUpperCase();
    for (const route of httpRoutes()) {
      const m = route.pattern.exec(path);
      if (!m || !route.methods.includes(method)) continue;
      if (options.functionKeys && route.authLevel !== 'anonymous') {
        const key = req.headers['x-functions-key'] ?? url.searchParams.get('code') ?? '';
        if (!options.functionKeys.includes(Array.isArray(key) ? (key[0] ?? '') : key)) return new HttpResponse({ status: 401 });
      }
      const params = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(m[i + 1]!)]));
      const request = new HttpRequest({
        method,
        url: url.toString(),
        headers: headersOf(req),
        params,
        body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : { bytes: body },
      });
      // A function with a durable client input gets one bound to the fake Durable API, as the host binds it.
      const withClient = Object.values(getRegistered(route.name).metadata.bindings).some((b) => b.type === 'durableClient');
      const context = withClient ? durableStarterContext(route.name, durableApi, sink) : newContext(route.name, sink);
      return asHttpResponse(await invokeFunction(route.name, [request], context));
    }
    return notFound(`No function serves ${method} /api/${path}`);
  }

  const server = http.createServer((req, res) => {
    const work = (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const body = await readBody(req);
      const response = url.pathname.toLowerCase() === '/runtime/webhooks/eventgrid' ? await handleEventGrid(url, req, body) : await handleHttp(url, req, body);
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: unknown) => {
      sink.push({ level: 'error', message: `in-process host: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` });
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });
  const listen = (s: http.Server, port: number, address: string) =>
    new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, address, () => {
        s.off('error', reject);
        resolve();
      });
    });
  const [first = '127.0.0.1', ...others] = options.addresses ?? ['127.0.0.1'];
  await listen(server, options.port ?? 0, first);
  const { port } = server.address() as AddressInfo;
  const servers = [server];
  for (const address of others) {
    const extra = http.createServer(server.listeners('request')[0] as http.RequestListener);
    try {
      await listen(extra, port, address);
      servers.push(extra);
    } catch {
      // This address family is not available here; the first address still serves.
    }
  }
  return {
    baseUrl: `http://${first.includes(':') ? `[${first}]` : first}:${port}`,
    logs,
    close: async () => {
      await Promise.allSettled([...pending]);
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
