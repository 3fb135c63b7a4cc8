// Settings that fail fast, through the real registered hooks: appStart reports every bad setting (with its masked
// value) in one line, and while the settings are bad every function answers without running: HTTP with 500
// ConfigError and the same text, the Event Grid trigger by failing (so Event Grid retries). Fixing them lifts it.
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { invokeEventGrid, startFakeDurableApi, type FakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import { invokeHttp, startApp, type CapturedLog } from '../../tools/local/host/functionsHost.js';
import { applyEnv } from '../support/env.js';

const SECRET = 'c2VjcmV0LWtleS1ub3QtdG8tYmUtc2hvd24=';
const BAD = {
  ACS_CONNECTION_STRING: `accesskey=${SECRET}`,
  ACS_MAX_RETRIES: 'lots',
  RECORDING_FORMAT: 'ogg',
  TASKHUB_NAME: 'no-dashes',
  AzureWebJobsStorage: undefined,
};

let durable: FakeDurableApi;
let restore: (() => void) | undefined;

beforeAll(async () => {
  await import('../../src/functions/appHooks.js');
  await import('../../src/functions/recordingsStart.js');
  await import('../../src/functions/recordingFileStatusUpdated.js');
  durable = await startFakeDurableApi();
  return () => durable.close();
});

afterEach(() => {
  restore?.();
  restore = undefined;
  vi.restoreAllMocks();
});

function expectEveryProblemNamed(message: string): void {
  expect(message).toContain('ACS_CONNECTION_STRING must look like endpoint=https://...;accesskey=<base64>, got "accesskey=***"');
  expect(message).toContain('ACS_MAX_RETRIES must be an integer from 0 to 10, got "lots"');
  expect(message).toContain('RECORDING_FORMAT must be wav, mp3 or mp4, got "ogg"');
  expect(message).toContain('TASKHUB_NAME must be a letter followed by letters and digits, 3 to 45 characters, got "no-dashes"');
  expect(message).not.toContain(SECRET);
}

describe('bad settings', () => {
  it('are reported once at app start, in one line naming each setting and its masked value', async () => {
    restore = applyEnv(BAD);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await startApp();
    expect(errors).toHaveBeenCalledTimes(1);
    const line = String(errors.mock.calls[0]![0]);
    expect(line).toMatch(/^ConfigError: every function answers 500 ConfigError until the settings are fixed\. Invalid settings: /);
    expectEveryProblemNamed(line);
  });

  it('make every HTTP function answer 500 ConfigError with the same text, without running it', async () => {
    restore = applyEnv(BAD);
    const res = await invokeHttp('startRecording', { method: 'POST', url: 'http://localhost/api/recordings', body: { string: '{}' } });
    expect(res.status).toBe(500);
    const error = (res.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('ConfigError');
    expectEveryProblemNamed(error.message);
    // The handler did not run: an empty body would otherwise be a 400 from its validation.
    expect(res.logs.some((l) => l.level === 'error' && l.message.startsWith('Not running startRecording: Invalid settings'))).toBe(true);
  });

  it('make the Event Grid trigger fail (Event Grid retries) without starting anything', async () => {
    restore = applyEnv(BAD);
    const before = durable.requests.length;
    const logs: CapturedLog[] = [];
    await expect(invokeEventGrid('recordingFileStatusUpdated', { id: 'e1', eventType: 'x', data: {} }, durable, logs)).rejects.toMatchObject({
      name: 'ConfigError',
    });
    expect(durable.requests.length).toBe(before);
    expect(logs.some((l) => l.level === 'error' && l.message.startsWith('Not running recordingFileStatusUpdated: Invalid settings'))).toBe(true);
  });

  it('names what the app needs to run at all when it is missing', async () => {
    restore = applyEnv({ ACS_CONNECTION_STRING: undefined, ACS_ENDPOINT: undefined, AzureWebJobsStorage: undefined, TASKHUB_NAME: undefined });
    const res = await invokeHttp('startRecording', { method: 'POST', url: 'http://localhost/api/recordings', body: { string: '{}' } });
    expect(res.status).toBe(500);
    const { message } = (res.body as { error: { message: string } }).error;
    expect(message).toMatch(/ACS is not configured: set ACS_CONNECTION_STRING .* or ACS_ENDPOINT/);
    expect(message).toMatch(/AzureWebJobsStorage is not set/);
    expect(message).toMatch(/TASKHUB_NAME is not set: host.json names the Durable task hub %TASKHUB_NAME%/);
  });

  it('stop blocking once fixed: the function runs again', async () => {
    restore = applyEnv({
      ACS_CONNECTION_STRING: `endpoint=http://127.0.0.1:1/;accesskey=${SECRET}`,
      AzureWebJobsStorage: inject('storageConnectionString'),
      TASKHUB_NAME: 'testhub',
      ACS_MAX_RETRIES: undefined,
      RECORDING_FORMAT: undefined,
    });
    const res = await invokeHttp('startRecording', { method: 'POST', url: 'http://localhost/api/recordings', body: { string: '{}' } });
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe('BadRequest');
  });
});
