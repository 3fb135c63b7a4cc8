import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { CallRecord } from '../../src/calls/callStateModels.js';
import { ConcurrentUpdateError, mutateRow, type RowOperations } from '../../src/calls/mutateRow.js';
import { callRow } from '../../src/calls/CallStateStore.js';
import { stateTableKey } from '../../src/calls/stateTableKey.js';
import { isTransient } from '../../src/shared/failureModel.js';
import { StateStoreError, TableCallStateStore } from '../../src/calls/TableCallStateStore.js';
import { toApiResponse } from '../../src/calls/toApiResponse.js';
import { silentLogger } from '../../src/shared/logging.js';

// Real Azurite: the conditional writes are the duplicate guard, so they are tested against the real service.
const serverCallId = 'aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2NvbnYvYT9pPTEwJmU9Ng+/=';
const call = (r: Partial<CallRecord> = {}): CallRecord => ({ serverCallId, status: 'starting', attempts: 1, updatedAt: new Date().toISOString(), ...r });

let table: TableClient;
let store: TableCallStateStore;

beforeEach(() => {
  table = TableClient.fromConnectionString(inject('storageConnectionString'), `store${randomUUID().replace(/-/g, '').slice(0, 16)}`, {
    allowInsecureConnection: true,
  });
  store = new TableCallStateStore(table);
});

afterEach(async () => {
  await table.deleteTable();
});

describe('TableCallStateStore (Azurite)', () => {
  it('creates the table on first use and stores ids with / + = under base64url keys', async () => {
    expect(await store.getCall(serverCallId)).toBeUndefined();
    const etag = await store.insertCall(call({ recordingId: 'cmVj/+==' }));
    expect(etag).toBeTruthy();
    const row = await table.getEntity(stateTableKey(serverCallId), 'call');
    expect(row.partitionKey).toBe(Buffer.from(serverCallId).toString('base64url'));
    const read = await store.getCall(serverCallId);
    expect(read?.value).toMatchObject({ serverCallId, status: 'starting', recordingId: 'cmVj/+==', attempts: 1 });
    expect(read?.etag).toBe(etag);
  });

  it('inserts only if absent: the second insert reports the existing row', async () => {
    expect(await store.insertCall(call())).toBeTruthy();
    expect(await store.insertCall(call({ status: 'started' }))).toBeUndefined();
    expect((await store.getCall(serverCallId))?.value.status).toBe('starting');
  });

  it('lets exactly one of two concurrent inserts win', async () => {
    const results = await Promise.all([store.insertCall(call({ attempts: 1 })), store.insertCall(call({ attempts: 2 }))]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('replaces only with the current ETag', async () => {
    const first = await store.insertCall(call());
    const second = await store.replaceCall(call({ status: 'started', recordingId: 'r1' }), first!);
    expect(second).toBeTruthy();
    // The first ETag is stale now.
    expect(await store.replaceCall(call({ status: 'failed' }), first!)).toBeUndefined();
    expect((await store.getCall(serverCallId))?.value).toMatchObject({ status: 'started', recordingId: 'r1' });
  });

  it('marks a refusal of the values themselves (a 900,000-character id: 400) as rejected, and the API answers it with 400', async () => {
    const huge = call({ serverCallId: 'a'.repeat(900_000) });
    const e = await store.insertCall(huge).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(StateStoreError);
    expect(e).toMatchObject({ rejected: true });
    expect(isTransient(e)).toBe(false);
    const response = toApiResponse(e, silentLogger);
    expect(response.status).toBe(400);
    expect(response.jsonBody).toMatchObject({ error: { code: 'StateStoreRejected' } });
    // An outage stays a 503 "retry later".
    const down = new TableCallStateStore(TableClient.fromConnectionString('UseDevelopmentStorage=true;TableEndpoint=http://127.0.0.1:1/devstoreaccount1', 'x', { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } }));
    const outage = await down.getCall(serverCallId).catch((err: unknown) => err);
    expect(outage).toMatchObject({ rejected: false });
    expect(toApiResponse(outage, silentLogger).status).toBe(503);
  });

  it('keeps recordings apart from calls and hashes over-long ids', async () => {
    const longId = `${'a/'.repeat(300)}=`;
    await store.insertRecording({ recordingId: longId, state: 'active', updatedAt: new Date().toISOString() });
    expect((await store.getRecording(longId))?.value).toMatchObject({ recordingId: longId, state: 'active' });
    expect(await store.getCall(longId)).toBeUndefined();
  });

  it('mutateRow re-reads and retries when another writer got in between', async () => {
    await store.insertCall(call({ attempts: 0 }));
    // Ten concurrent increments: every lost ETag race re-reads, so none is lost.
    await Promise.all(
      Array.from({ length: 10 }, () => mutateRow(callRow(store, serverCallId), (c) => (c ? { ...c, attempts: c.attempts + 1 } : undefined), { attempts: 50 })),
    );
    expect((await store.getCall(serverCallId))?.value.attempts).toBe(10);
  });
});

describe('mutateRow when every round is lost', () => {
  const alwaysLost: RowOperations<number> = { get: () => Promise.resolve({ value: 1, etag: 'e' }), insert: () => Promise.resolve(undefined), replace: () => Promise.resolve(undefined) };

  it('throws ConcurrentUpdateError, or what gaveUp returns', async () => {
    await expect(mutateRow(alwaysLost, (n) => (n ?? 0) + 1, { attempts: 3 })).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const last = new Error('412 from the last round');
    await expect(mutateRow(alwaysLost, (n) => (n ?? 0) + 1, { attempts: 3, gaveUp: () => last })).rejects.toBe(last);
  });
});
