// A client of a running emulator's remote control (controlRoutes.ts): the part of the AcsEmulator facade a local
// tool needs, over signed HTTP, so `npm run simulate` can reuse the emulator that `npm run emulator` started on the
// configured port instead of failing with EADDRINUSE. Recordings come back as JSON (dates as ISO strings).
import type { SimulateCallOptions, SimulatedCall } from '../calls/simulateCall.js';
import type { EmulatorRecording, FaultRule, RecordingFilesSpec } from '../types.js';
import { sendSigned, type SignedResponse } from './signedClient.js';

/** A recording as the remote control reports it: the facade's shape, with its dates serialised. */
export type RemoteRecording = Omit<EmulatorRecording, 'startTime' | 'stopTime'> & { startTime: string; stopTime?: string };

export interface RemoteAcsEmulator {
  readonly endpoint: string;
  readonly resourceId: string;
  readonly mediaOrigin: string;
  setNextRecordingFiles(o: RecordingFilesSpec): Promise<void>;
  simulateCall(o: SimulateCallOptions): Promise<SimulatedCall>;
  disconnectCall(o: { callbackUrl?: string; serverCallId: string }): Promise<{ status: number; callEndedStatus?: number }>;
  listRecordings(): Promise<RemoteRecording[]>;
  getRecording(recordingId: string): Promise<RemoteRecording | undefined>;
  publishRecordingFileStatusUpdated(recordingId: string, url: string, o?: { schema?: 'EventGrid' | 'CloudEvents' }): Promise<{ status: number }>;
  injectFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  fileMd5(documentId: string, kind: 'content' | 'metadata'): Promise<string>;
}

/** What answers on the port is not an emulator, or one with another access key. */
export class RemoteEmulatorError extends Error {
  override readonly name = 'RemoteEmulatorError';
}

function errorText(r: SignedResponse): string {
  try {
    const body = r.json() as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: the status says it
  }
  return r.text.slice(0, 200);
}

/**
 * Connects to the emulator at `endpoint` (e.g. `http://127.0.0.1:8123/`), signing with `accessKey`. Throws
 * {@link RemoteEmulatorError} when what listens there is not an emulator or does not accept the key.
 */
export async function connectAcsEmulator(endpoint: string, accessKey: string): Promise<RemoteAcsEmulator> {
  const base = new URL('emulator/v1/', endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, accept: number[] = [200, 204]): Promise<SignedResponse> => {
    const r = await sendSigned(accessKey, {
      method,
      url: new URL(path, base).toString(),
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      // Simulating a call waits for the app to answer its callback.
      timeoutMs: 120_000,
    });
    if (!accept.includes(r.status)) throw new RemoteEmulatorError(`${method} ${base.pathname}${path}: HTTP ${r.status} ${errorText(r)}`);
    return r;
  };
  const id = encodeURIComponent;

  let info: { endpoint: string; resourceId: string; mediaOrigin: string };
  try {
    const r = await call('GET', 'info', undefined, [200, 401, 403, 404]);
    if (r.status === 401 || r.status === 403) {
      throw new RemoteEmulatorError(`The ACS emulator at ${endpoint} refuses the access key of ACS_CONNECTION_STRING: it was started with another key.`);
    }
    info = r.json() as typeof info;
    if (r.status !== 200 || typeof info.resourceId !== 'string') throw new Error('not an emulator');
  } catch (e) {
    if (e instanceof RemoteEmulatorError) throw e;
    throw new RemoteEmulatorError(`What listens at ${endpoint} is not the project's ACS emulator (no remote control at ${base.pathname}).`, { cause: e });
  }

  return {
    endpoint: info.endpoint,
    resourceId: info.resourceId,
    mediaOrigin: info.mediaOrigin,
    setNextRecordingFiles: async (o) => void (await call('PUT', 'next-recording-files', o)),
    simulateCall: async (o) => (await call('POST', 'calls', o)).json() as SimulatedCall,
    disconnectCall: async ({ serverCallId, callbackUrl }) => (await call('POST', `calls/${id(serverCallId)}/disconnect`, { callbackUrl })).json() as { status: number },
    listRecordings: async () => (await call('GET', 'recordings')).json() as RemoteRecording[],
    getRecording: async (recordingId) => {
      const r = await call('GET', `recordings/${id(recordingId)}`, undefined, [200, 404]);
      return r.status === 404 ? undefined : (r.json() as RemoteRecording);
    },
    publishRecordingFileStatusUpdated: async (recordingId, url, o) =>
      (await call('POST', `recordings/${id(recordingId)}/publish-file-status`, { url, schema: o?.schema })).json() as { status: number },
    injectFault: async (rule) => void (await call('POST', 'faults', rule)),
    clearFaults: async () => void (await call('DELETE', 'faults')),
    fileMd5: async (documentId, kind) => ((await call('GET', `documents/${id(documentId)}/${kind}/md5`)).json() as { md5: string }).md5,
  };
}
