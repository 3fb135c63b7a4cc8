// A loopback fake of the Durable extension's HTTP API as `DurableClient` uses it when `rpcBaseUrl` is set
// (functions-durable reference §3.3), wired to the in-process host driver: an instance started through it is run by
// {@link runOrchestration}. With it, the REAL `df.getClient(context)` in a trigger is exercised end to end:
// event → trigger → durable client HTTP → orchestration → activities → storage.
//
// Semantics copied from the extension with the default `overridableExistingInstanceStates: NonRunningStates`:
// - POST orchestrators/{name}[/{id}]: 202 {id}; an id that is Pending/Running → 500 "…already exists.";
//   an id that is Completed/Failed is silently replaced by a new execution (§3.4);
// - GET instances/{id}: 200 (Completed/Failed) or 202 (Pending/Running) with the status JSON, 404 if unknown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { HttpRequestInit, InvocationContext } from '@azure/functions';
import { HttpRequest } from './functionsLib.js';
import { asHttpResponse, getRegistered, invokeFunction, newContext, type LogSink } from './functionsHost.js';
import { runOrchestration, type OrchestrationRun } from './durableHost.js';

export type InstanceStatus = 'Pending' | 'Running' | 'Completed' | 'Failed';

export interface FakeInstance {
  name: string;
  instanceId: string;
  input: unknown;
  runtimeStatus: InstanceStatus;
  createdTime: string;
  lastUpdatedTime: string;
  output: unknown;
  customStatus: unknown;
  /** Settles when the driver has finished this execution (never rejects; see `error`). */
  done: Promise<void>;
  run?: OrchestrationRun;
  /** Set if the driver itself threw (non-determinism, unsupported action): a test failure, not an app failure. */
  error?: Error;
  executions: number;
}

export interface ApiRequest {
  method: string;
  path: string;
  status: number;
}

export interface FakeDurableApi {
  readonly rpcBaseUrl: string;
  readonly instances: Map<string, FakeInstance>;
  readonly requests: ApiRequest[];
  /** Binding data the host would hand the function for a `durableClient` input (§3.2). */
  clientBindingData(): Record<string, unknown>;
  /**
   * Answer the next `count` requests (of `method`, if given) with `status` (e.g. 503: "storage down") and, if given,
   * this `exceptionMessage` in the extension's error body.
   */
  failNextRequests(count: number, status?: number, method?: 'GET' | 'POST', exceptionMessage?: string): void;
  /** Resolves when every started execution has finished; rethrows a driver error, if any. */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export interface FakeDurableApiOptions {
  /** The task hub named in the binding data (host.json `hubName`, i.e. TASKHUB_NAME). */
  taskHubName?: string;
  /** Where the orchestrations' and activities' invocation logs go. */
  logs?: LogSink;
}

export async function startFakeDurableApi(options: FakeDurableApiOptions = {}): Promise<FakeDurableApi> {
  const instances = new Map<string, FakeInstance>();
  const requests: ApiRequest[] = [];
  let failures: { count: number; status: number; method?: string; exceptionMessage?: string } = { count: 0, status: 503 };

  const statusBody = (i: FakeInstance) => ({
    name: i.name,
    instanceId: i.instanceId,
    createdTime: i.createdTime,
    lastUpdatedTime: i.lastUpdatedTime,
    input: i.input ?? null,
    output: i.output ?? null,
    runtimeStatus: i.runtimeStatus,
    customStatus: i.customStatus ?? null,
  });

  const start = (name: string, instanceId: string, input: unknown): FakeInstance => {
    const now = new Date().toISOString();
    const previous = instances.get(instanceId);
    const inst: FakeInstance = {
      name,
      instanceId,
      input,
      runtimeStatus: 'Pending',
      createdTime: now,
      lastUpdatedTime: now,
      output: null,
      customStatus: null,
      done: Promise.resolve(),
      executions: (previous?.executions ?? 0) + 1,
    };
    instances.set(instanceId, inst);
    inst.done = (async () => {
      await new Promise((r) => setImmediate(r)); // Answer the start request first, as the host does.
      inst.runtimeStatus = 'Running';
      try {
        const run = await runOrchestration(name, input, { instanceId, ...(options.logs ? { logs: options.logs } : {}) });
        inst.run = run;
        inst.runtimeStatus = run.runtimeStatus;
        inst.output = run.output;
        inst.customStatus = run.customStatus;
      } catch (e) {
        inst.error = e instanceof Error ? e : new Error(String(e));
        inst.runtimeStatus = 'Failed';
      }
      inst.lastUpdatedTime = new Date().toISOString();
    })();
    return inst;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const record = (status: number) => requests.push({ method: req.method ?? '', path: url.pathname, status });
      const body = await readBody(req);
      if (failures.count > 0 && (!failures.method || failures.method === req.method)) {
        failures.count--;
        record(failures.status);
        return send(res, failures.status, {
          Message: 'Something went wrong while processing your request',
          ExceptionMessage: failures.exceptionMessage ?? 'The storage account is unavailable.',
        });
      }
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (segments[0] !== 'durabletask') {
        record(404);
        return send(res, 404, {});
      }
      if (req.method === 'POST' && segments[1] === 'orchestrators' && segments[2]) {
        const name = segments[2];
        const instanceId = segments[3] ?? randomUUID().replace(/-/g, '');
        const existing = instances.get(instanceId);
        if (existing && (existing.runtimeStatus === 'Pending' || existing.runtimeStatus === 'Running')) {
          record(500);
          return send(res, 500, {
            Message: 'Something went wrong while processing your request',
            ExceptionMessage: `An Orchestration instance with the status ${existing.runtimeStatus} already exists.`,
            ExceptionType: 'System.InvalidOperationException',
          });
        }
        start(name, instanceId, body ? (JSON.parse(body) as unknown) : null);
        record(202);
        return send(res, 202, { id: instanceId, statusQueryGetUri: `${rpcBaseUrl}instances/${encodeURIComponent(instanceId)}` });
      }
      if (req.method === 'GET' && segments[1] === 'instances' && segments[2]) {
        const inst = instances.get(segments[2]);
        if (!inst) {
          record(404);
          return send(res, 404, undefined);
        }
        const status = inst.runtimeStatus === 'Completed' || inst.runtimeStatus === 'Failed' ? 200 : 202;
        record(status);
        return send(res, status, statusBody(inst));
      }
      record(404);
      return send(res, 404, {});
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { Message: String(e) });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const rpcBaseUrl = `http://127.0.0.1:${port}/durabletask/`;

  return {
    rpcBaseUrl,
    instances,
    requests,
    clientBindingData: () => ({
      taskHubName: options.taskHubName ?? 'TestHub',
      creationUrls: {},
      managementUrls: {},
      baseUrl: `http://127.0.0.1:${port}/runtime/webhooks/durabletask`,
      requiredQueryStringParameters: '',
      rpcBaseUrl,
    }),
    failNextRequests: (count, status = 503, method, exceptionMessage) => {
      failures = { count, status, method, exceptionMessage };
    },
    whenIdle: async () => {
      for (;;) {
        const all = [...instances.values()];
        await Promise.all(all.map((i) => i.done));
        if ([...instances.values()].every((i) => all.includes(i))) break;
      }
      const broken = [...instances.values()].find((i) => i.error)?.error;
      if (broken) throw broken;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * An InvocationContext for a registered function with a `durableClient` extra input, carrying binding data that
 * points the real DurableClient at `api` (reference §1.3, §3.1).
 */
export function durableStarterContext(functionName: string, api: FakeDurableApi, logs: LogSink = []): InvocationContext {
  const fn = getRegistered(functionName);
  const bindings = Object.entries(fn.metadata.bindings);
  const client = bindings.find(([, b]) => b.type === 'durableClient');
  const trigger = bindings.find(([, b]) => b.type.endsWith('Trigger'));
  if (!trigger) throw new Error(`Function "${functionName}" has no trigger`);
  // A trigger without a durable client input (e.g. callStartedEvents) gets a plain context.
  if (!client) return newContext(functionName, logs, { options: { trigger: { name: trigger[0], type: trigger[1].type }, extraInputs: [], extraOutputs: [] } });
  const clientInput = { name: client[0], type: 'durableClient' };
  const context = newContext(functionName, logs, {
    options: { trigger: { name: trigger[0], type: trigger[1].type }, extraInputs: [clientInput], extraOutputs: [] },
  });
  context.extraInputs.set(clientInput, api.clientBindingData());
  return context;
}

/** Invokes a registered HTTP function that has a durable client input, as the host would. */
export async function invokeHttpWithDurableClient(
  functionName: string,
  init: HttpRequestInit,
  api: FakeDurableApi,
  logs: LogSink = [],
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const context = durableStarterContext(functionName, api, logs);
  const res = asHttpResponse(await invokeFunction(functionName, [new HttpRequest(init)], context));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Invokes a registered Event Grid trigger with `event`, as the host would (a durable client bound to `api` when it has one). */
export async function invokeEventGrid(functionName: string, event: unknown, api: FakeDurableApi, logs: LogSink = []): Promise<unknown> {
  const context = durableStarterContext(functionName, api, logs);
  return await invokeFunction(functionName, [JSON.parse(JSON.stringify(event)) as unknown], context);
}
