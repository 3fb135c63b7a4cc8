// What the Functions host would see and do, in-process: the registered function metadata, callbacks and app hooks
// (captured by the fake @azure/functions-core), invocation as the Node worker does it (preInvocation hooks, which may
// replace the handler, then `handler(...inputs, context)`, then postInvocation hooks), the appStart hooks, and helpers
// that invoke HTTP functions with the library's real constructors. Used by the tests and the embedded local host.
import { createRequire } from 'node:module';
import type { HttpRequestInit } from '@azure/functions';
import { HttpRequest, HttpResponse, InvocationContext } from './functionsLib.js';

export interface RegisteredFunction {
  metadata: {
    name: string;
    bindings: Record<string, { type: string; direction: string; [k: string]: unknown }>;
    retryOptions?: unknown;
  };
  callback: (...args: unknown[]) => unknown;
}

type HookCallback = (coreContext: Record<string, unknown>) => unknown;

const require = createRequire(import.meta.url);
const core = require('./fake-functions-core.cjs') as {
  registered: Map<string, RegisteredFunction>;
  hooks: Map<string, HookCallback[]>;
};

/** Shared by every hook of the app, like the worker's `appHookData`. */
const appHookData: Record<string, unknown> = {};

export function registeredFunctions(): Map<string, RegisteredFunction> {
  return core.registered;
}

export function getRegistered(name: string): RegisteredFunction {
  const fn = core.registered.get(name);
  if (!fn) throw new Error(`Function "${name}" is not registered (have: ${[...core.registered.keys()].join(', ')})`);
  return fn;
}

/** The trigger binding of a registered function. */
export function triggerBinding(name: string): { type: string; [k: string]: unknown } {
  const fn = getRegistered(name);
  const trigger = Object.values(fn.metadata.bindings).find((b) => b.type.endsWith('Trigger'));
  if (!trigger) throw new Error(`Function "${name}" has no trigger binding`);
  return trigger;
}

async function runHooks(hookName: string, coreContext: Record<string, unknown>): Promise<void> {
  for (const hook of [...(core.hooks.get(hookName) ?? [])]) await hook(coreContext);
}

/** Runs the app's `appStart` hooks, as the worker does once the app's files are loaded. */
export async function startApp(functionAppDirectory = process.cwd()): Promise<void> {
  await runHooks('appStart', { hookData: {}, appHookData, functionAppDirectory });
}

/**
 * Invokes a registered function as the Node worker does: preInvocation hooks (they may replace the handler or the
 * inputs), `handler(...inputs, context)`, postInvocation hooks (they see and may replace the result or error).
 */
export async function invokeFunction(name: string, inputs: unknown[], context: InvocationContext): Promise<unknown> {
  const fn = getRegistered(name);
  const hookData: Record<string, unknown> = {};
  const pre: Record<string, unknown> = { invocationContext: context, inputs, functionCallback: fn.callback, hookData, appHookData };
  await runHooks('preInvocation', pre);
  const post: Record<string, unknown> = { invocationContext: context, inputs: pre.inputs, hookData, appHookData, result: undefined, error: undefined };
  try {
    post.result = await (pre.functionCallback as RegisteredFunction['callback'])(...(pre.inputs as unknown[]), context);
  } catch (e) {
    post.error = e;
  }
  await runHooks('postInvocation', post);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever the handler threw, unchanged
  if (post.error !== undefined) throw post.error;
  return post.result;
}

export interface CapturedLog {
  level: string;
  message: string;
  /** The function whose invocation wrote the line. */
  functionName?: string;
}

/** The trigger as `context.options.trigger` describes it, from the registration (if `functionName` is registered). */
function triggerOptions(functionName: string): { trigger: { name: string; type: string }; extraInputs: []; extraOutputs: [] } | undefined {
  const fn = core.registered.get(functionName);
  const trigger = fn && Object.entries(fn.metadata.bindings).find(([, b]) => b.type.endsWith('Trigger'));
  return trigger ? { trigger: { name: trigger[0], type: trigger[1].type }, extraInputs: [], extraOutputs: [] } : undefined;
}

/** Where invocation logs go: an array (tests read it), or anything with `push` (the embedded host prints). */
export interface LogSink {
  push(log: CapturedLog): unknown;
}

export function newContext(functionName: string, logs: LogSink = [], init: Partial<ConstructorParameters<typeof InvocationContext>[0]> = {}): InvocationContext {
  const options = triggerOptions(functionName);
  return new InvocationContext({
    invocationId: `inv-${Math.random().toString(16).slice(2)}`,
    functionName,
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' '), functionName }),
    ...(options ? { options } : {}),
    ...init,
  });
}

export interface InvokeHttpResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
  logs: CapturedLog[];
}

/** The registered HTTP function's result as the host would send it (a plain HttpResponseInit is normalized). */
export function asHttpResponse(raw: unknown): HttpResponse {
  return raw instanceof HttpResponse ? raw : new HttpResponse(raw as ConstructorParameters<typeof HttpResponse>[0]);
}

/** Calls a registered HTTP function exactly as the host would: `callback(HttpRequest, InvocationContext)`. */
export async function invokeHttp(name: string, init: HttpRequestInit): Promise<InvokeHttpResult> {
  const logs: CapturedLog[] = [];
  const context = newContext(name, logs);
  const res = asHttpResponse(await invokeFunction(name, [new HttpRequest(init)], context));
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text, logs };
}
