// CallStateStore over Azure Table Storage (Azurite locally). PartitionKey = the ID's table key, RowKey = the row
// kind (`call`, `recording`, `chunk-{index}`), so a call and a recording never share a partition, every point read is
// one request and a recording's chunks are one partition query. Listing index rows (recordingIndexKeys.ts) live in
// `!`-prefixed partitions and are rewritten from the recording row after each write of it.
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { ensureError, statusCodeOf } from '../shared/errors.js';
import { chunkEntityFields, chunkRecordSchema, type ChunkRecord } from './archiveStateModels.js';
import type { CallStateStore, IndexPage, IndexQuery } from './CallStateStore.js';
import { callRecordSchema, recordingRecordSchema, type CallRecord, type RecordingRecord, type Versioned } from './callStateModels.js';
import { mutateRow } from './mutateRow.js';
import { callIdIndexPartition, indexRowKey, serverCallIndexPartition, timeIndexPartition } from './recordingIndexKeys.js';
import { indexRowOf, indexRowSchema, indexTime, type IndexRow } from './recordingSummary.js';
import { stateTableKey } from './stateTableKey.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

/** Per-operation deadline (all of the client's own retries included). */
export const DEFAULT_STATE_TABLE_TIMEOUT_MS = 15_000;

const CALL_ROW = 'call';
const RECORDING_ROW = 'recording';
const CHUNK_ROW_PREFIX = 'chunk-';

/** RowKey of a chunk row: zero-padded so the partition lists chunks in index order. */
export function chunkRowKey(index: number): string {
  return `${CHUNK_ROW_PREFIX}${String(index).padStart(10, '0')}`;
}

/** Thrown when a state-table read or write fails for a reason other than the expected 404/409/412. */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  /**
   * The table refused the request itself (HTTP 400 or 413: a value too large for a property or an entity, an
   * invalid value): the same request gets the same answer, so it is the caller's input, not an outage.
   */
  readonly rejected: boolean;
  constructor(message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.rejected = options?.statusCode === 400 || options?.statusCode === 413;
  }
}

/**
 * @example
 * const store = new TableCallStateStore(createStateTableClient(getConfig().hostStorage!, getConfig().stateTableName));
 * const etag = await store.insertCall({ serverCallId, status: 'starting', attempts: 1, updatedAt: new Date().toISOString() });
 */
export class TableCallStateStore implements CallStateStore {
  private tableReady: Promise<void> | undefined;

  constructor(private readonly table: TableClient) {}

  getCall(serverCallId: string): Promise<Versioned<CallRecord> | undefined> {
    return this.get(stateTableKey(serverCallId), CALL_ROW, callRecordSchema);
  }

  insertCall(record: CallRecord): Promise<string | undefined> {
    return this.insert(stateTableKey(record.serverCallId), CALL_ROW, record);
  }

  replaceCall(record: CallRecord, etag: string): Promise<string | undefined> {
    return this.replace(stateTableKey(record.serverCallId), CALL_ROW, record, etag);
  }

  getRecording(recordingId: string): Promise<Versioned<RecordingRecord> | undefined> {
    return this.get(stateTableKey(recordingId), RECORDING_ROW, recordingRecordSchema);
  }

  async insertRecording(record: RecordingRecord): Promise<string | undefined> {
    const written = versioned(record);
    const etag = await this.insert(stateTableKey(record.recordingId), RECORDING_ROW, written);
    if (etag !== undefined) await this.syncIndex(written);
    return etag;
  }

  async replaceRecording(record: RecordingRecord, etag: string): Promise<string | undefined> {
    const written = versioned(record);
    const next = await this.replace(stateTableKey(record.recordingId), RECORDING_ROW, written, etag);
    if (next !== undefined) await this.syncIndex(written);
    return next;
  }

  async listChunks(recordingId: string): Promise<Versioned<ChunkRecord>[]> {
    await this.ensureTable();
    const pk = stateTableKey(recordingId);
    const out: Versioned<ChunkRecord>[] = [];
    try {
      const filter = odata`PartitionKey eq ${pk} and RowKey ge ${CHUNK_ROW_PREFIX} and RowKey lt ${'chunk.'}`;
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter }, abortSignal: this.signal() })) {
        const parsed = chunkRecordSchema.safeParse(entity);
        if (parsed.success) out.push({ value: parsed.data, etag: entity.etag });
      }
    } catch (e) {
      throw wrap(e, 'list the chunk rows');
    }
    return out.sort((a, b) => a.value.index - b.value.index);
  }

  getChunk(recordingId: string, index: number): Promise<Versioned<ChunkRecord> | undefined> {
    return this.get(stateTableKey(recordingId), chunkRowKey(index), chunkRecordSchema);
  }

  insertChunk(record: ChunkRecord): Promise<string | undefined> {
    return this.insert(stateTableKey(record.recordingId), chunkRowKey(record.index), chunkEntityFields(record));
  }

  replaceChunk(record: ChunkRecord, etag: string): Promise<string | undefined> {
    return this.replace(stateTableKey(record.recordingId), chunkRowKey(record.index), chunkEntityFields(record), etag);
  }

  async queryIndex(query: IndexQuery): Promise<IndexPage> {
    await this.ensureTable();
    const clauses: string[] = [];
    const p = query.partition;
    clauses.push('eq' in p ? odata`PartitionKey eq ${p.eq}` : odata`PartitionKey ge ${p.ge} and PartitionKey lt ${p.lt}`);
    if (query.rowKey.ge !== undefined) clauses.push(odata`RowKey ge ${query.rowKey.ge}`);
    if (query.rowKey.lt !== undefined) clauses.push(odata`RowKey lt ${query.rowKey.lt}`);
    if (query.callId !== undefined) clauses.push(odata`callId eq ${query.callId}`);
    if (query.archiveStatus !== undefined) clauses.push(odata`archiveStatus eq ${query.archiveStatus}`);
    const filter = clauses.join(' and ');
    const rows: IndexRow[] = [];
    let token = query.continuationToken;
    try {
      for (let page = 0; page < query.maxPages && rows.length < query.limit; page++) {
        const pages = this.table
          .listEntities<Record<string, unknown>>({ queryOptions: { filter }, abortSignal: this.signal() })
          .byPage({ maxPageSize: query.limit - rows.length, ...(token === undefined ? {} : { continuationToken: token }) });
        const next = await pages.next();
        if (next.done) {
          token = undefined;
          break;
        }
        for (const entity of next.value) {
          const parsed = indexRowSchema.safeParse(entity);
          if (parsed.success) rows.push(parsed.data);
        }
        token = next.value.continuationToken;
        if (token === undefined) break;
      }
    } catch (e) {
      throw wrap(e, 'query the listing index');
    }
    return token === undefined ? { rows } : { rows, continuationToken: token };
  }

  /**
   * Brings the recording's index rows up to `record` (the row just written): each is replaced unless it already holds
   * this or a later revision, so concurrent writers of the recording leave the newest summary behind.
   */
  private async syncIndex(record: RecordingRecord): Promise<void> {
    const revision = record.revision ?? 0;
    const rowKey = indexRowKey(new Date(indexTime(record)), record.recordingId);
    const partitions = [
      timeIndexPartition(new Date(indexTime(record))),
      ...(record.serverCallId ? [serverCallIndexPartition(record.serverCallId)] : []),
      ...(record.callId ? [callIdIndexPartition(record.callId)] : []),
    ];
    const row = indexRowOf(record, revision);
    await Promise.all(
      partitions.map((pk) =>
        mutateRow<IndexRow>(
          {
            get: () => this.get(pk, rowKey, indexRowSchema),
            insert: (v) => this.insert(pk, rowKey, v),
            replace: (v, etag) => this.replace(pk, rowKey, v, etag),
          },
          (current) => (current && current.revision >= revision ? undefined : row),
        ),
      ),
    );
  }

  private async get<S extends z.ZodType>(pk: string, rowKey: string, schema: S): Promise<Versioned<z.infer<S>> | undefined> {
    await this.ensureTable();
    let entity: TableEntityResult<Record<string, unknown>>;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(pk, rowKey, { abortSignal: this.signal() });
    } catch (e) {
      if (statusCodeOf(e) === 404) return undefined;
      throw wrap(e, `read ${rowKind(rowKey)} row`);
    }
    const parsed = schema.safeParse(entity);
    if (!parsed.success) throw new StateStoreError(`The ${rowKind(rowKey)} row of the state table is unreadable: ${parsed.error.message}`);
    return { value: parsed.data, etag: entity.etag };
  }

  private async insert(pk: string, rowKey: string, record: object): Promise<string | undefined> {
    await this.ensureTable();
    try {
      const res = await this.table.createEntity(toEntity(pk, rowKey, record), { abortSignal: this.signal() });
      return requireEtag(res.etag, rowKey);
    } catch (e) {
      // 409 EntityAlreadyExists is the duplicate guard doing its job, not a failure.
      if (statusCodeOf(e) === 409) return undefined;
      throw wrap(e, `insert ${rowKind(rowKey)} row`);
    }
  }

  private async replace(pk: string, rowKey: string, record: object, etag: string): Promise<string | undefined> {
    await this.ensureTable();
    try {
      const res = await this.table.updateEntity(toEntity(pk, rowKey, record), 'Replace', { etag, abortSignal: this.signal() });
      return requireEtag(res.etag, rowKey);
    } catch (e) {
      // 412: someone else wrote the row since we read it; 404: it was deleted. Either way, the caller re-reads.
      const status = statusCodeOf(e);
      if (status === 412 || status === 404) return undefined;
      throw wrap(e, `replace ${rowKind(rowKey)} row`);
    }
  }

  private ensureTable(): Promise<void> {
    // createTable succeeds when the table already exists; a failure is not cached so the next call tries again.
    this.tableReady ??= this.table.createTable({ abortSignal: this.signal() }).catch((e: unknown) => {
      this.tableReady = undefined;
      throw wrap(e, 'create the state table');
    });
    return this.tableReady;
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(DEFAULT_STATE_TABLE_TIMEOUT_MS);
  }
}

/** The row as the store writes it: the next revision, and the index time fixed on first write. */
function versioned(record: RecordingRecord): RecordingRecord {
  return { ...record, indexedAt: indexTime(record), revision: (record.revision ?? 0) + 1 };
}

function rowKind(rowKey: string): string {
  if (rowKey.startsWith(CHUNK_ROW_PREFIX)) return 'chunk';
  if (rowKey === CALL_ROW || rowKey === RECORDING_ROW) return rowKey;
  return 'index';
}

function toEntity(pk: string, rowKey: string, record: object): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  // Table Storage cannot store undefined; absent fields are simply not written (Replace drops them).
  return { ...withoutUndefined(record), partitionKey: pk, rowKey };
}

function requireEtag(etag: string | undefined, rowKey: string): string {
  if (!etag) throw new StateStoreError(`The state table returned no ETag for the ${rowKind(rowKey)} row`);
  return etag;
}

function wrap(e: unknown, what: string): StateStoreError {
  const err = ensureError(e);
  return new StateStoreError(`Could not ${what} in the state table: ${err.message}`, { cause: err, statusCode: statusCodeOf(e) });
}
