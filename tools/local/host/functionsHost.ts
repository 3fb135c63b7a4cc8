// Test access to what the Functions host would see: registered function metadata and callbacks (captured by the
// fake @azure/functions-core), plus helpers that invoke HTTP functions with the library's real constructors.
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

const require = createRequire(import.meta.url);
const core = require('./fake-functions-core.cjs') as { registered: Map<string, RegisteredFunction> };

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

export interface CapturedLog {
  level: string;
  message: string;
}

export function newContext(functionName: string, logs: CapturedLog[] = [], init: Partial<ConstructorParameters<typeof InvocationContext>[0]> = {}): InvocationContext {
  return new InvocationContext({
    invocationId: `inv-${Math.random().toString(16).slice(2)}`,
    functionName,
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
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

/** Calls a registered HTTP function exactly as the host would: `callback(HttpRequest, InvocationContext)`. */
export async function invokeHttp(name: string, init: HttpRequestInit): Promise<InvokeHttpResult> {
  const fn = getRegistered(name);
  const logs: CapturedLog[] = [];
  const context = newContext(name, logs);
  const raw = await fn.callback(new HttpRequest(init), context);
  const res = raw instanceof HttpResponse ? raw : new HttpResponse(raw as ConstructorParameters<typeof HttpResponse>[0]);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text, logs };
}
