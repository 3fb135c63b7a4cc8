// Posts a callback body to the registered `callAutomationCallback` function, authenticated like ACS by default
// (a fresh emulator JWT and the `?token=` of the test env).
import { invokeHttp, type InvokeHttpResult } from '../../../tools/local/host/functionsHost.js';
import type { CallTestEnv } from './callTestEnv.js';

export interface PostCallbackOptions {
  /** The Bearer token; default a fresh valid emulator token; null sends no Authorization header. */
  jwt?: string | null;
  /** The callback URL; default the env's (with its `?token=`). */
  url?: string;
  /** Send this text instead of JSON.stringify(body). */
  rawBody?: string;
}

export async function postCallback(env: CallTestEnv, body: unknown, o: PostCallbackOptions = {}): Promise<InvokeHttpResult> {
  const jwt = o.jwt === undefined ? await env.emu.mintCallbackToken() : o.jwt;
  return invokeHttp('callAutomationCallback', {
    method: 'POST',
    url: o.url ?? env.callbackUrl,
    headers: { 'content-type': 'application/json', ...(jwt === null ? {} : { authorization: `Bearer ${jwt}` }) },
    body: { string: o.rawBody ?? JSON.stringify(body) },
  });
}

/** Requests of one operation the emulator received so far. */
export function acsRequests(env: CallTestEnv, operation: string) {
  return env.emu.requests.filter((r) => r.operation === operation);
}
