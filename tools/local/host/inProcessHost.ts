// A loopback HTTP front end standing in for `func start`, serving the registered functions in-process:
// - `/api/<route>` → the registered HTTP function whose route template and method match (as the host routes);
// - `/runtime/webhooks/EventGrid?functionName=<name>` → the local Event Grid webhook: validation handshake, or
//   each event of the array handed to the registered Event Grid trigger with a durable client bound to `durableApi`.
// Lets the README's local scenario (`npm run simulate`) run in `npm test` without the Functions host.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse } from './functionsLib.js';
import { getRegistered, newContext, registeredFunctions, type CapturedLog } from './functionsHost.js';
import { invokeEventGrid, type FakeDurableApi } from './durableClientApi.js';

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
    routes.push({ name, methods: ((trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()), pattern: new RegExp(`^${source}$`, 'i'), params });
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

export async function startInProcessHost(durableApi: FakeDurableApi): Promise<InProcessHost> {
  const logs: CapturedLog[] = [];
  const pending = new Set<Promise<unknown>>();

  async function handleEventGrid(url: URL, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; body?: unknown }> {
    const functionName = url.searchParams.get('functionName') ?? '';
    getRegistered(functionName);
    const events = JSON.parse(body.toString('utf8')) as { eventType?: string; data?: { validationCode?: string } }[];
    const list = Array.isArray(events) ? events : [events];
    if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { status: 200, body: { validationResponse: list[0]?.data?.validationCode } };
    }
    // The host invokes the trigger once per event; a failure surfaces as an error status Event Grid retries.
    for (const event of list) await invokeEventGrid(functionName, event, durableApi, logs);
    return { status: 202 };
  }

  async function handleHttp(url: URL, req: http.IncomingMessage, body: Buffer): Promise<HttpResponse> {
    const path = url.pathname.replace(/^\/api\//, '');
    const method = (req.method ?? 'GET').toUpperCase();
    for (const route of httpRoutes()) {
      const m = route.pattern.exec(path);
      if (!m || !route.methods.includes(method)) continue;
      const params = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(m[i + 1]!)]));
      const request = new HttpRequest({
        method,
        url: url.toString(),
        headers: headersOf(req),
        params,
        body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : { bytes: body },
      });
      const raw = await getRegistered(route.name).callback(request, newContext(route.name, logs));
      return raw instanceof HttpResponse ? raw : new HttpResponse(raw as ConstructorParameters<typeof HttpResponse>[0]);
    }
    return new HttpResponse({ status: 404 });
  }

  const server = http.createServer((req, res) => {
    const work = (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const body = await readBody(req);
      if (url.pathname.toLowerCase() === '/runtime/webhooks/eventgrid') {
        const out = await handleEventGrid(url, req, body);
        res.writeHead(out.status, { 'content-type': 'application/json' }).end(out.body === undefined ? '' : JSON.stringify(out.body));
        return;
      }
      const response = await handleHttp(url, req, body);
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: unknown) => {
      logs.push({ level: 'error', message: `in-process host: ${String(e)}` });
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    close: async () => {
      await Promise.allSettled([...pending]);
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
