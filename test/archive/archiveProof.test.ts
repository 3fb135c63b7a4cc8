// A source is deleted only when its copy is proven to be that recording (issue 16), end to end below the trigger:
// the REAL orchestration and activities against the ACS emulator over HTTP and Azurite. Each wrong 200 keeps the
// source, never sends a DELETE and ends failed with its code; when the emulator answers correctly again while
// retries remain, the chunk archives and is deleted once; a deleteLocation that names another object is never called.
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchiveChunkInput, ArchiveRecordingOutput } from '../../src/archive/archiveModels.js';
import type { RecordingManifest } from '../../src/archive/buildRecordingManifest.js';
import type { FaultKind, FaultRule } from '../../tools/acs-emulator/index.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import type { CapturedLog } from '../../tools/local/host/functionsHost.js';
import { archiveRecording, configureArchiveEnv, listArchive, type ArchiveTestEnv } from './archiveTestEnv.js';

const emu = await useAcsEmulator();
let env: ArchiveTestEnv | undefined;

afterEach(() => {
  env?.restore();
  env = undefined;
});

async function manifestOf(out: ArchiveRecordingOutput): Promise<RecordingManifest> {
  return JSON.parse((await env!.container.getBlobClient(out.manifestBlobName!).downloadToBuffer()).toString('utf8')) as RecordingManifest;
}

const requestsFor = (documentId: string, operation: string) => emu.requests.filter((r) => r.path.includes(documentId) && r.operation === operation);
const deletesAfter = (from: number) => emu.requests.slice(from).filter((r) => r.method === 'DELETE');

type WrongAnswer = [name: string, operation: NonNullable<FaultRule['operation']>, fault: (otherDocumentId: string) => FaultKind, step: 'content' | 'metadata', code: string];

const WRONG_ANSWERS: WrongAnswer[] = [
  ['an empty 200 for the media', 'downloadContent', () => ({ type: 'empty', status: 200 }), 'content', 'NotARecording'],
  ['an HTML page with 200', 'downloadContent', () => ({ type: 'html', status: 200 }), 'content', 'NotARecording'],
  ['a JSON error body with 200', 'downloadContent', () => ({ type: 'status', status: 200, body: '{"error":{"code":"Blocked","message":"by policy"}}' }), 'content', 'NotARecording'],
  ['the wrong container signature', 'downloadContent', () => ({ type: 'zeroHead', bytes: 12 }), 'content', 'NotARecording'],
  ['the metadata of another document', 'downloadMetadata', (other) => ({ type: 'otherDocument', documentId: other }), 'metadata', 'MetadataMismatch'],
  ['an empty 200 for the metadata', 'downloadMetadata', () => ({ type: 'empty', status: 200 }), 'metadata', 'MetadataMismatch'],
];

describe('a copy is verified only when it is proven to be the recording', () => {
  it.each(WRONG_ANSWERS)('%s: the source is kept, no DELETE is sent, the chunk ends failed with its code', async (_name, operation, fault, step, code) => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0' });
    const rec = emu.createRecordingWithFiles({ chunks: [20_000] });
    const other = emu.createRecordingWithFiles({ chunks: [20_000] }).chunks[0]!;
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation, documentId: doc, times: 1_000, fault: fault(other.documentId) });
    const before = emu.requests.length;
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output).toMatchObject({ status: 'failed', chunkStatus: 'F', chunksFailed: 1, sourcesDeleted: 0 });
    // Retried like a transient failure (whatever meddled may stop), every attempt refused with the code.
    const attempts = run.activities.filter((a) => a.name === 'archiveChunk' && (a.input as ArchiveChunkInput).chunkIndex === 0);
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.every((a) => a.status === 'failed' && a.error!.includes(`[step=${step}] [code=${code}]`))).toBe(true);
    const [chunk] = (await manifestOf(run.output)).chunks;
    expect(chunk).toMatchObject({ status: 'failed', sourceDeleted: false, failures: [expect.objectContaining({ step, code, permanent: false })] });
    // Nothing deleted, nothing requested to be deleted; the refused file was not archived.
    expect(deletesAfter(before)).toEqual([]);
    expect(emu.getRecording(rec.recordingId)!.chunks[0]!.deleted).toBe(false);
    expect(other.deleted).toBe(false);
    expect(chunk![step === 'content' ? 'media' : 'metadata']).toBeUndefined();
    const archived = (await listArchive(env.container)).map((b) => b.name);
    expect(archived.some((n) => (step === 'content' ? /chunk-0000-.*\.wav$/ : /chunk-0000-.*\.metadata\.json$/).test(n))).toBe(false);
  });

  it.each(WRONG_ANSWERS)('%s, then the right answer while retries remain: archived, verified and deleted once', async (_name, operation, fault) => {
    env = configureArchiveEnv(emu, { ACS_MAX_RETRIES: '0' });
    const rec = emu.createRecordingWithFiles({ chunks: [20_000] });
    const other = emu.createRecordingWithFiles({ chunks: [20_000] }).chunks[0]!;
    const doc = rec.chunks[0]!.documentId;
    emu.injectFault({ operation, documentId: doc, times: 2, fault: fault(other.documentId) });
    const run = await archiveRecording(emu, rec.recordingId);

    expect(run.output).toMatchObject({ status: 'archived', chunkStatus: 'D', sourcesDeleted: 1 });
    const [chunk] = (await manifestOf(run.output)).chunks;
    expect(chunk).toMatchObject({ status: 'archived', sourceDeleted: true, failures: [] });
    expect(chunk!.media!.md5Base64).toBe(await emu.fileMd5(doc, 'content'));
    expect(chunk!.metadata!.md5Base64).toBe(await emu.fileMd5(doc, 'metadata'));
    expect(chunk!.participants.length).toBeGreaterThan(0);
    expect(requestsFor(doc, 'deleteRecording').map((r) => r.status)).toEqual([200]);
    expect(requestsFor(doc, operation).length).toBe(3);
    expect(other.deleted).toBe(false);
  });
});

describe('deleteLocation is bound to its chunk', () => {
  it('a deleteLocation naming another object is never called: the chunk is archived, both sources are kept', async () => {
    env = configureArchiveEnv(emu);
    const a = emu.createRecordingWithFiles({ chunks: 2 });
    const b = emu.createRecordingWithFiles({ chunks: 1 });
    const victim = b.chunks[0]!;
    const before = emu.requests.length;
    const logs: CapturedLog[] = [];
    const run = await archiveRecording(emu, a.recordingId, { logs }, (event) => {
      const chunks = (event as { data: { recordingStorageInfo: { recordingChunks: { deleteLocation: string }[] } } }).data.recordingStorageInfo.recordingChunks;
      chunks[0]!.deleteLocation = victim.deleteLocation;
    });

    // Chunk 0 archived but kept (A: the delete was refused), chunk 1 archived and deleted as usual.
    expect(run.output).toMatchObject({ status: 'archived', chunkStatus: 'AD', chunksArchived: 2, sourcesDeleted: 1 });
    const chunks = (await manifestOf(run.output)).chunks;
    expect(chunks[0]).toMatchObject({ status: 'archived', sourceDeleted: false, failures: [expect.objectContaining({ step: 'delete', code: 'DeleteLocationMismatch', permanent: true })] });
    // Exactly one DELETE went out, for chunk 1's own object; the other recording's object survives.
    expect(deletesAfter(before).map((r) => r.path)).toEqual([new URL(a.chunks[1]!.deleteLocation).pathname]);
    expect(requestsFor(victim.documentId, 'deleteRecording')).toEqual([]);
    expect(victim.deleted).toBe(false);
    expect(a.chunks[0]!.deleted).toBe(false);
    // Not retried (permanent), and warned about with the ids.
    expect(run.activities.filter((x) => x.name === 'archiveChunk' && (x.input as ArchiveChunkInput).chunkIndex === 0)).toHaveLength(1);
    const warnings = logs.filter((l) => l.level === 'warning' && l.message.includes('DeleteLocationMismatch'));
    expect(warnings).toHaveLength(1);
    for (const id of [a.recordingId, a.chunks[0]!.documentId]) expect(warnings[0]!.message).toContain(JSON.stringify(id).slice(1, -1));
    expect(logs.filter((l) => l.level === 'error' && l.message.includes('DeleteLocationMismatch'))).toEqual([]);
  });
});
