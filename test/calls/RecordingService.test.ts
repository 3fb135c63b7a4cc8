// RecordingService wired by hand (as the default wiring does from config) against the ACS emulator and Azurite:
// the claim edge cases that the function tests cannot stage.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { AcsRecordingClient } from '../../src/acs/models.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import type { CallStateStore } from '../../src/calls/CallStateStore.js';
import { parseCallAutomationEvents } from '../../src/calls/parseCallAutomationEvents.js';
import { RecordingService } from '../../src/calls/RecordingService.js';
import { TableCallStateStore } from '../../src/calls/TableCallStateStore.js';
import { silentLogger } from '../../src/shared/logging.js';
import { startAcsEmulator, type AcsEmulator } from '../../tools/acs-emulator/index.js';
import { mintServerCallId } from '../../tools/acs-emulator/ids/mintServerCallId.js';
import { callConnected, callIds, recordingStateChanged, startRecordingFailed } from './support/cloudEvents.js';

const defaults = { content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false } as const;
let emu: AcsEmulator;
let table: TableClient;
let store: TableCallStateStore;
let client: RestAcsRecordingClient;
let clock: Date;
let service: RecordingService;

beforeEach(async () => {
  emu = await startAcsEmulator();
  table = TableClient.fromConnectionString(inject('storageConnectionString'), `svc${randomUUID().replace(/-/g, '').slice(0, 16)}`, {
    allowInsecureConnection: true,
  });
  store = new TableCallStateStore(table);
  client = new RestAcsRecordingClient({ kind: 'connectionString', endpoint: emu.endpoint, accessKey: emu.accessKey }, { maxRetries: 0 });
  clock = new Date();
  service = new RecordingService({ recordingClient: client, store, defaults, autoStart: true, now: () => clock, claimStaleAfterMs: 10 * 60_000 });
});

afterEach(async () => {
  await emu.close();
  await table.deleteTable();
});

const handle = async (event: Record<string, unknown>) => {
  const [parsed] = parseCallAutomationEvents([event]);
  return service.handleCallEvent(parsed!, silentLogger);
};
const starts = () => emu.requests.filter((r) => r.operation === 'startRecording');

describe('RecordingService start claim', () => {
  it('takes over an abandoned claim with its Repeatability-Request-ID, so ACS returns the same recording', async () => {
    const ids = callIds(mintServerCallId());
    const requestId = randomUUID();
    const firstSent = new Date(clock.getTime() - 20 * 60_000);
    // An instance claimed the call, got the start through to ACS, and died before recording the result.
    const orphan = await client.startRecording({ target: { serverCallId: ids.serverCallId }, ...defaults }, { repeatabilityRequestId: requestId, repeatabilityFirstSent: firstSent });
    await store.insertCall({
      serverCallId: ids.serverCallId,
      status: 'starting',
      claimedAt: firstSent.toISOString(),
      repeatabilityRequestId: requestId,
      repeatabilityFirstSent: firstSent.toISOString(),
      attempts: 1,
      updatedAt: firstSent.toISOString(),
    });

    expect(await handle(callConnected(ids))).toEqual({ outcome: 'started', recordingId: orphan.recordingId });
    expect(starts().map((r) => r.headers['repeatability-request-id'])).toEqual([requestId, requestId]);
    expect(emu.listRecordings()).toHaveLength(1);
    expect((await store.getCall(ids.serverCallId))?.value).toMatchObject({ status: 'started', recordingId: orphan.recordingId, attempts: 2 });
  });

  it('leaves a fresh claim of another instance alone', async () => {
    const ids = callIds(mintServerCallId());
    await store.insertCall({ serverCallId: ids.serverCallId, status: 'starting', claimedAt: clock.toISOString(), attempts: 1, updatedAt: clock.toISOString() });
    expect(await handle(callConnected(ids))).toEqual({ outcome: 'skipped', reason: 'startInProgress', recordingId: undefined });
    expect(starts()).toHaveLength(0);
  });

  it('a StartRecordingFailed of an older recording does not release the claim of the current one', async () => {
    const ids = callIds(mintServerCallId());
    const started = await handle(callConnected(ids));
    expect(started.outcome).toBe('started');
    await handle(startRecordingFailed(ids, 'b2xkZXIvcmVjb3JkaW5nKz0='));
    expect((await store.getCall(ids.serverCallId))?.value.status).toBe('started');
    expect(await handle(callConnected(ids))).toMatchObject({ outcome: 'skipped', reason: 'alreadyStarted' });
  });

  it('a RecordingStateChanged after a start that looked failed marks the call started (no second recording)', async () => {
    const ids = callIds(mintServerCallId());
    await store.insertCall({ serverCallId: ids.serverCallId, status: 'failed', attempts: 1, updatedAt: clock.toISOString() });
    await handle(recordingStateChanged(ids, 'cmVjb3JkaW5nLzErPQ==', 'active'));
    expect((await store.getCall(ids.serverCallId))?.value).toMatchObject({ status: 'started', recordingId: 'cmVjb3JkaW5nLzErPQ==' });
    expect(await handle(callConnected(ids))).toMatchObject({ outcome: 'skipped', reason: 'alreadyStarted' });
    expect(starts()).toHaveLength(0);
  });

  it('a stopped recording keeps "stopped" when a later state event arrives', async () => {
    const ids = callIds(mintServerCallId());
    const started = await handle(callConnected(ids));
    const recordingId = started.outcome === 'started' ? started.recordingId : '';
    await service.stopRecording(recordingId, silentLogger);
    clock = new Date(clock.getTime() + 1000);
    await handle(recordingStateChanged(ids, recordingId, 'inactive', clock));
    const view = await service.getRecording(recordingId, silentLogger);
    expect(view).toMatchObject({ recordingState: 'stopped', live: null, stored: { lastEventType: 'RecordingStateChanged' } });
  });
});

describe('RecordingService pause/resume/stop', () => {
  /** A service over the same Azurite table that counts its recording-row reads; `beforeAcs` runs before each ACS action. */
  function actingService(beforeAcs: (recordingId: string) => Promise<unknown> = () => Promise.resolve()) {
    const reads: string[] = [];
    const counting: CallStateStore = {
      getCall: (id) => store.getCall(id),
      insertCall: (r) => store.insertCall(r),
      replaceCall: (r, etag) => store.replaceCall(r, etag),
      getRecording: (id) => {
        reads.push(id);
        return store.getRecording(id);
      },
      insertRecording: (r) => store.insertRecording(r),
      replaceRecording: (r, etag) => store.replaceRecording(r, etag),
      listChunks: (id) => store.listChunks(id),
      getChunk: (id, i) => store.getChunk(id, i),
      insertChunk: (r) => store.insertChunk(r),
      replaceChunk: (r, etag) => store.replaceChunk(r, etag),
      queryIndex: (q) => store.queryIndex(q),
    };
    const acting: AcsRecordingClient = {
      startRecording: (...a) => client.startRecording(...a),
      getRecordingState: (...a) => client.getRecordingState(...a),
      pauseRecording: async (id, o) => (await beforeAcs(id), client.pauseRecording(id, o)),
      resumeRecording: async (id, o) => (await beforeAcs(id), client.resumeRecording(id, o)),
      stopRecording: async (id, o) => (await beforeAcs(id), client.stopRecording(id, o)),
    };
    return { reads, svc: new RecordingService({ recordingClient: acting, store: counting, defaults, autoStart: true, now: () => clock }) };
  }

  it('reads the recording row once per action: the read before the ACS call is the first round of the write', async () => {
    const ids = callIds(mintServerCallId());
    const started = await handle(callConnected(ids));
    const recordingId = started.outcome === 'started' ? started.recordingId : '';
    const { reads, svc } = actingService();
    await svc.pauseRecording(recordingId, silentLogger);
    expect(reads).toHaveLength(1);
    expect((await store.getRecording(recordingId))?.value).toMatchObject({ lastAction: 'pause', serverCallId: ids.serverCallId });
    await svc.resumeRecording(recordingId, silentLogger);
    await svc.stopRecording(recordingId, silentLogger);
    expect(reads).toEqual([recordingId, recordingId, recordingId]);
    expect((await store.getRecording(recordingId))?.value).toMatchObject({ lastAction: 'stop', stoppedAt: clock.toISOString() });
  });

  it('re-reads and keeps both writes when an event changed the row during the ACS call', async () => {
    const ids = callIds(mintServerCallId());
    const started = await handle(callConnected(ids));
    const recordingId = started.outcome === 'started' ? started.recordingId : '';
    const { reads, svc } = actingService((id) => handle(recordingStateChanged(ids, id, 'inactive')));
    await svc.pauseRecording(recordingId, silentLogger);
    // The write with the first read's ETag got 412 and was retried on a fresh read.
    expect(reads).toHaveLength(2);
    expect((await store.getRecording(recordingId))?.value).toMatchObject({ state: 'inactive', lastEventType: 'RecordingStateChanged', lastAction: 'pause' });
  });

  it('notes a pause on a row that an event created during the ACS call', async () => {
    const ids = callIds(mintServerCallId());
    // Started elsewhere: ACS knows the recording, this app has no row yet.
    const { recordingId } = await client.startRecording({ target: { serverCallId: ids.serverCallId }, ...defaults });
    const { reads, svc } = actingService((id) => handle(recordingStateChanged(ids, id, 'active')));
    await svc.pauseRecording(recordingId, silentLogger);
    // "No row" was read before the ACS call; a pause leaves an absent row alone, so that answer is checked by a read.
    expect(reads).toHaveLength(2);
    expect((await store.getRecording(recordingId))?.value).toMatchObject({ state: 'active', lastAction: 'pause' });
  });
});

describe('RecordingService start, with a RecordingStateChanged that beats the row write', () => {
  /** A service whose ACS start delivers `event` for the new recording before the start returns. */
  const racingService = (event: (recordingId: string) => Record<string, unknown>) =>
    new RecordingService({
      recordingClient: {
        startRecording: async (request, options) => {
          const result = await client.startRecording(request, options);
          await handle(event(result.recordingId));
          return result;
        },
        getRecordingState: (...a) => client.getRecordingState(...a),
        pauseRecording: (...a) => client.pauseRecording(...a),
        resumeRecording: (...a) => client.resumeRecording(...a),
        stopRecording: (...a) => client.stopRecording(...a),
      },
      store,
      defaults,
      autoStart: true,
      now: () => clock,
    });

  it('by callConnectionId: keeps the event state and call ids, but the requested callConnectionId wins over the event one', async () => {
    const ids = callIds(mintServerCallId());
    const requested = randomUUID();
    const svc = racingService((recordingId) => recordingStateChanged(ids, recordingId, 'active'));
    const view = await svc.startRecording({ target: { callConnectionId: requested }, settings: defaults }, silentLogger);
    const expected = { callConnectionId: requested, serverCallId: ids.serverCallId, correlationId: ids.correlationId, state: 'active', startedVia: 'api', format: 'wav' };
    expect(view.stored).toMatchObject(expected);
    expect((await store.getRecording(view.recordingId))?.value).toMatchObject({ ...expected, lastEventType: 'RecordingStateChanged' });
  });

  it('auto-start by serverCallId: the callConnectionId the event stored first is kept', async () => {
    const ids = callIds(mintServerCallId());
    const fromEvent = randomUUID();
    const svc = racingService((recordingId) => recordingStateChanged({ ...ids, callConnectionId: fromEvent }, recordingId, 'active'));
    const started = await svc.handleCallEvent(parseCallAutomationEvents([callConnected(ids)])[0]!, silentLogger);
    const recordingId = started.outcome === 'started' ? started.recordingId : '';
    expect((await store.getRecording(recordingId))?.value).toMatchObject({ callConnectionId: fromEvent, state: 'active', startedVia: 'callback' });
  });
});
