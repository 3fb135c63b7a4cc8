// GET /api/recordings through the REAL registered function, over the listing index rows that the store keeps in a
// fresh Azurite table: order across pages and months, every filter, and the 400s.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingRecord } from '../../src/calls/callStateModels.js';
import { triggerBinding, invokeHttp, type InvokeHttpResult } from '../../tools/local/host/functionsHost.js';
import { useCallTestEnv, type CallTestEnv } from '../calls/support/callTestEnv.js';
import { routeId, startRecordingApi, stopRecordingApi } from '../calls/support/callRecordingsApi.js';
import { mintServerCallId } from '../../tools/acs-emulator/ids/mintServerCallId.js';

beforeAll(async () => {
  await import('../../src/functions/callAutomationCallback.js');
  await import('../../src/functions/recordingsStart.js');
  await import('../../src/functions/recordingsStop.js');
  await import('../../src/functions/recordingsList.js');
});

const setup = useCallTestEnv();

interface Summary {
  id: string;
  recordingId: string;
  serverCallId?: string;
  callId?: string;
  startedAt: string;
  recordingState: string | null;
  archive: { status: string; chunksTotal: number; chunksArchived: number; chunksFailed: number; totalBytes: number };
}
interface Page {
  items: Summary[];
  continuationToken?: string;
}

function list(params: Record<string, string> = {}): Promise<InvokeHttpResult> {
  const url = new URL('http://localhost:7071/api/recordings');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return invokeHttp('listRecordings', { method: 'GET', url: url.toString() });
}

/** Every item of a query, page by page (asserting each page's size). */
async function listAll(params: Record<string, string>, limit: number): Promise<Summary[]> {
  const items: Summary[] = [];
  let token: string | undefined;
  for (let i = 0; i < 20; i++) {
    const res = await list({ ...params, limit: String(limit), ...(token ? { continuationToken: token } : {}) });
    expect(res.status, res.text).toBe(200);
    const page = res.body as Page;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    token = page.continuationToken;
    if (!token) return items;
  }
  throw new Error('too many pages');
}

// Recording ids with the characters ACS uses (/ + =).
const rid = (n: number) => `eyJQbGF0Zm9ybUVuZHBvaW50SWQiOi${n}/+rec==`;

/** Five recordings over two months, two calls and several archive states, written through the store. */
async function seed(e: CallTestEnv): Promise<RecordingRecord[]> {
  const callA = mintServerCallId();
  const callB = mintServerCallId();
  const rows: RecordingRecord[] = [
    { recordingId: rid(1), serverCallId: callA, callId: 'call-a', startedAt: '2026-01-30T10:00:00.000Z', state: 'stopped', archiveStatus: 'archived', archiveChunksTotal: 2, archiveChunksArchived: 2, archiveChunksFailed: 0, archiveTotalBytes: 1234, updatedAt: '2026-01-30T11:00:00.000Z' },
    { recordingId: rid(2), serverCallId: callA, callId: 'call-a', startedAt: '2026-01-31T23:59:59.999Z', state: 'stopped', archiveStatus: 'partial', archiveChunksTotal: 2, archiveChunksArchived: 1, archiveChunksFailed: 1, archiveTotalBytes: 99, updatedAt: '2026-02-01T01:00:00.000Z' },
    { recordingId: rid(3), serverCallId: callB, callId: 'call-b', startedAt: '2026-02-01T00:00:00.000Z', state: 'active', updatedAt: '2026-02-01T00:00:01.000Z' },
    { recordingId: rid(4), serverCallId: callB, callId: 'call-b', startedAt: '2026-02-10T08:00:00.000Z', state: 'stopped', archiveStatus: 'failed', archiveChunksTotal: 1, archiveChunksArchived: 0, archiveChunksFailed: 1, updatedAt: '2026-02-10T09:00:00.000Z' },
    { recordingId: rid(5), serverCallId: callA, callId: 'call-c', startedAt: '2026-02-20T08:00:00.000Z', state: 'stopped', archiveStatus: 'archived', archiveChunksTotal: 3, archiveChunksArchived: 3, archiveChunksFailed: 0, archiveTotalBytes: 5000, updatedAt: '2026-02-20T09:00:00.000Z' },
  ];
  for (const r of rows) expect(await e.store.insertRecording(r), 'a fresh row (its etag)').toEqual(expect.any(String));
  return rows;
}

const ids = (items: Summary[]) => items.map((i) => i.recordingId);

describe('GET /api/recordings', () => {
  it('is registered on the collection route for GET with authLevel function', () => {
    expect(triggerBinding('listRecordings')).toMatchObject({ type: 'httpTrigger', route: 'recordings', methods: ['GET'], authLevel: 'function' });
  });

  it('lists newest first across pages and months, each item a summary', async () => {
    const e = await setup();
    const rows = await seed(e);
    const all = await listAll({}, 2);
    expect(ids(all)).toEqual([rid(5), rid(4), rid(3), rid(2), rid(1)]);
    expect(all[0]).toEqual({
      id: routeId(rid(5)),
      recordingId: rid(5),
      serverCallId: rows[4]!.serverCallId,
      callId: 'call-c',
      startedAt: '2026-02-20T08:00:00.000Z',
      recordingState: 'stopped',
      archive: { status: 'archived', chunksTotal: 3, chunksArchived: 3, chunksFailed: 0, totalBytes: 5000 },
    });
    expect(all[2]!.archive).toEqual({ status: 'notStarted', chunksTotal: 0, chunksArchived: 0, chunksFailed: 0, totalBytes: 0 });
    // Default limit 25: one page, no token.
    const one = (await list()).body as Page;
    expect(ids(one.items)).toEqual(ids(all));
    expect(one.continuationToken).toBeUndefined();
  });

  it('filters by serverCallId, callId, from/to (inclusive, across a month boundary) and archiveStatus, also combined', async () => {
    const e = await setup();
    const rows = await seed(e);
    const callA = rows[0]!.serverCallId!;
    expect(ids(await listAll({ serverCallId: callA }, 1))).toEqual([rid(5), rid(2), rid(1)]);
    expect(ids(await listAll({ callId: 'call-b' }, 1))).toEqual([rid(4), rid(3)]);
    expect(ids(await listAll({ serverCallId: callA, callId: 'call-a' }, 1))).toEqual([rid(2), rid(1)]);
    expect(ids(await listAll({ from: '2026-01-31T23:59:59.999Z', to: '2026-02-01T00:00:00Z' }, 1))).toEqual([rid(3), rid(2)]);
    expect(ids(await listAll({ from: '2026-02-01' }, 2))).toEqual([rid(5), rid(4), rid(3)]);
    expect(ids(await listAll({ to: '2026-01-31T00:00:00Z' }, 2))).toEqual([rid(1)]);
    expect(ids(await listAll({ archiveStatus: 'archived' }, 1))).toEqual([rid(5), rid(1)]);
    expect(ids(await listAll({ archiveStatus: 'notStarted' }, 5))).toEqual([rid(3)]);
    expect(ids(await listAll({ serverCallId: callA, archiveStatus: 'partial', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 5))).toEqual([rid(2)]);
    expect(ids(await listAll({ callId: 'call-zzz' }, 5))).toEqual([]);
  });

  it('follows the recording: a recording started and stopped through the API is listed with its current state', async () => {
    await setup();
    const started = await startRecordingApi({ serverCallId: mintServerCallId() });
    const { id, recordingId } = started.body as Summary;
    let [item] = ((await list()).body as Page).items;
    expect(item).toMatchObject({ id, recordingId, recordingState: 'inactive', archive: { status: 'notStarted' } });
    await stopRecordingApi(id);
    [item] = ((await list()).body as Page).items;
    expect(item).toMatchObject({ id, recordingState: 'stopped' });
    expect(Date.parse(item!.startedAt)).not.toBeNaN();
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown archiveStatus', { archiveStatus: 'lost' }, 'archiveStatus'],
    ['from after to', { from: '2026-02-02T00:00:00Z', to: '2026-02-01T00:00:00Z' }, 'from'],
    ['a malformed from', { from: 'yesterday' }, 'from'],
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['a non-numeric limit', { limit: 'ten' }, 'limit'],
    ['a malformed continuationToken', { continuationToken: 'not-a-token' }, 'continuationToken'],
  ])('answers %s with 400', async (_name, params, path) => {
    await setup();
    const res = await list(params);
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BadRequest' } });
    expect((res.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toContain(path);
  });

  it('refuses a token with other filters, or one whose table position is damaged', async () => {
    const e = await setup();
    await seed(e);
    const first = (await list({ limit: '2' })).body as Page;
    const token = first.continuationToken!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const other = await list({ limit: '2', archiveStatus: 'archived', continuationToken: token });
    expect(other.status).toBe(400);
    expect(other.text).toMatch(/other filters/);
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v: number; f: string; t: string };
    const forged = Buffer.from(JSON.stringify({ ...decoded, t: 'bm90IGpzb24=' })).toString('base64url');
    const res = await list({ limit: '2', continuationToken: forged });
    expect(res.status).toBe(400);
    expect((await list({ limit: '2', continuationToken: token })).status).toBe(200);
  });
});
