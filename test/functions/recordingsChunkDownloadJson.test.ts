// GET /api/recordings/{id}/chunks/{index}/{file} with `Accept: application/json` (what the console sends): 200
// {url, expiresOn}, not cacheable, instead of the 302 — through the REAL registered functions, the emulator and Azurite.
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureArchiveEnv } from '../archive/archiveTestEnv.js';
import { useCallTestEnv } from '../calls/support/callTestEnv.js';
import { routeId } from '../calls/support/callRecordingsApi.js';
import { invokeEventGrid, startFakeDurableApi } from '../../tools/local/host/durableClientApi.js';
import { invokeHttp } from '../../tools/local/host/functionsHost.js';

beforeAll(async () => {
  await import('../../src/functions/recordingFileStatusUpdated.js');
  await import('../../src/functions/recordingsChunkDownload.js');
});

const setup = useCallTestEnv();
let restoreArchiveEnv: (() => void) | undefined;
afterEach(() => {
  restoreArchiveEnv?.();
  restoreArchiveEnv = undefined;
});

function download(id: string, index: string, file: string, accept?: string) {
  return invokeHttp('downloadRecordingChunk', {
    method: 'GET',
    url: `http://localhost:7071/api/recordings/${id}/chunks/${index}/${file}`,
    params: { id, index, file },
    headers: accept ? { accept } : {},
  });
}

describe('GET /api/recordings/{id}/chunks/{index}/{file} with Accept: application/json', () => {
  it('answers 200 {url, expiresOn} with no-store; the URL serves the archived bytes; without the header it is still a 302', async () => {
    const e = await setup();
    const archive = configureArchiveEnv(e.emu);
    restoreArchiveEnv = () => archive.restore();
    const rec = e.emu.createRecordingWithFiles({ chunks: [40_000] });
    const api = await startFakeDurableApi();
    try {
      await invokeEventGrid('recordingFileStatusUpdated', e.emu.buildRecordingFileStatusUpdated(rec.recordingId, 'EventGrid'), api);
      await api.whenIdle();
    } finally {
      await api.close();
    }
    const id = routeId(rec.recordingId);

    for (const [file, kind] of [['media', 'content'], ['metadata', 'metadata']] as const) {
      const res = await download(id, '0', file, 'application/json');
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = res.body as { url: string; expiresOn: string };
      expect(Object.keys(body).sort()).toEqual(['expiresOn', 'url']);
      const expiry = Date.parse(body.expiresOn);
      expect(expiry - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(expiry - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      expect(new URL(body.url).searchParams.get('se')).toBe(new Date(expiry).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      const got = await fetch(body.url);
      expect(got.status).toBe(200);
      expect(createHash('md5').update(Buffer.from(await got.arrayBuffer())).digest('base64')).toBe(await e.emu.fileMd5(rec.chunks[0]!.documentId, kind));
      expect(res.logs.some((l) => l.message.includes('sig='))).toBe(false);
    }
    // A browser's usual Accept still gets the redirect.
    const redirect = await download(id, '0', 'media', 'text/html,*/*');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/sig=/);
    // Not archived: the same 404 JSON error either way.
    const missing = await download(id, '3', 'media', 'application/json');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NotFound' } });
  });
});
