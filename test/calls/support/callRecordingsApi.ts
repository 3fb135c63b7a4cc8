// Calls the registered control-API functions the way the host would (route params passed explicitly).
import { invokeHttp, type InvokeHttpResult } from '../../../tools/local/host/functionsHost.js';

const BASE = 'http://localhost:7071/api/recordings';

export function startRecordingApi(body: unknown, rawBody?: string): Promise<InvokeHttpResult> {
  return invokeHttp('startRecording', {
    method: 'POST',
    url: BASE,
    headers: { 'content-type': 'application/json' },
    body: { string: rawBody ?? JSON.stringify(body) },
  });
}

export function getRecordingApi(id: string): Promise<InvokeHttpResult> {
  return invokeHttp('getRecording', { method: 'GET', url: `${BASE}/${id}`, params: { id } });
}

export function stopRecordingApi(id: string): Promise<InvokeHttpResult> {
  return invokeHttp('stopRecording', { method: 'DELETE', url: `${BASE}/${id}`, params: { id } });
}

export function pauseRecordingApi(id: string): Promise<InvokeHttpResult> {
  return invokeHttp('pauseRecording', { method: 'POST', url: `${BASE}/${id}/pause`, params: { id } });
}

export function resumeRecordingApi(id: string): Promise<InvokeHttpResult> {
  return invokeHttp('resumeRecording', { method: 'POST', url: `${BASE}/${id}/resume`, params: { id } });
}

/** base64url of a recording ID: the `{id}` route value. */
export const routeId = (recordingId: string): string => Buffer.from(recordingId, 'utf8').toString('base64url');
