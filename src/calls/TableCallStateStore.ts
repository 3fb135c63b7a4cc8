// CallStateStore over Azure Table Storage (Azurite locally). PartitionKey = the ID's table key, RowKey = the row
// kind, so a call and a recording never share a partition and every point read is one request.
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { ensureError, statusCodeOf } from '../shared/errors.js';
import type { CallStateStore } from './CallStateStore.js';
import { callRecordSchema, recordingRecordSchema, type CallRecord, type RecordingRecord, type Versioned } from './callStateModels.js';
import { stateTableKey } from './stateTableKey.js';

/** Per-operation deadline (all of the client's own retries included). */
export const DEFAULT_STATE_TABLE_TIMEOUT_MS = 15_000;

const CALL_ROW = 'call';
const RECORDING_ROW = 'recording';

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
    return this.get(serverCallId, CALL_ROW, callRecordSchema);
  }

  insertCall(record: CallRecord): Promise<string | undefined> {
    return this.insert(record.serverCallId, CALL_ROW, record);
  }

  replaceCall(record: CallRecord, etag: string): Promise<string | undefined> {
    return this.replace(record.serverCallId, CALL_ROW, record, etag);
  }

  getRecording(recordingId: string): Promise<Versioned<RecordingRecord> | undefined> {
    return this.get(recordingId, RECORDING_ROW, recordingRecordSchema);
  }

  insertRecording(record: RecordingRecord): Promise<string | undefined> {
    return this.insert(record.recordingId, RECORDING_ROW, record);
  }

  replaceRecording(record: RecordingRecord, etag: string): Promise<string | undefined> {
    return this.replace(record.recordingId, RECORDING_ROW, record, etag);
  }

  private async get<S extends z.ZodType>(id: string, rowKey: string, schema: S): Promise<Versioned<z.infer<S>> | undefined> {
    await this.ensureTable();
    let entity: TableEntityResult<Record<string, unknown>>;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(stateTableKey(id), rowKey, { abortSignal: this.signal() });
    } catch (e) {
      if (statusCodeOf(e) === 404) return undefined;
      throw wrap(e, `read ${rowKey} row`);
    }
    const parsed = schema.safeParse(entity);
    if (!parsed.success) throw new StateStoreError(`The ${rowKey} row of the state table is unreadable: ${parsed.error.message}`);
    return { value: parsed.data, etag: entity.etag };
  }

  private async insert(id: string, rowKey: string, record: object): Promise<string | undefined> {
    await this.ensureTable();
    try {
      const res = await this.table.createEntity(toEntity(id, rowKey, record), { abortSignal: this.signal() });
      return requireEtag(res.etag, rowKey);
    } catch (e) {
      // 409 EntityAlreadyExists is the duplicate guard doing its job, not a failure.
      if (statusCodeOf(e) === 409) return undefined;
      throw wrap(e, `insert ${rowKey} row`);
    }
  }

  private async replace(id: string, rowKey: string, record: object, etag: string): Promise<string | undefined> {
    await this.ensureTable();
    try {
      const res = await this.table.updateEntity(toEntity(id, rowKey, record), 'Replace', { etag, abortSignal: this.signal() });
      return requireEtag(res.etag, rowKey);
    } catch (e) {
      // 412: someone else wrote the row since we read it; 404: it was deleted. Either way, the caller re-reads.
      const status = statusCodeOf(e);
      if (status === 412 || status === 404) return undefined;
      throw wrap(e, `replace ${rowKey} row`);
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

function toEntity(id: string, rowKey: string, record: object): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  // Table Storage cannot store undefined; absent fields are simply not written (Replace drops them).
  const fields = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
  return { ...fields, partitionKey: stateTableKey(id), rowKey };
}

function requireEtag(etag: string | undefined, rowKey: string): string {
  if (!etag) throw new StateStoreError(`The state table returned no ETag for the ${rowKey} row`);
  return etag;
}

function wrap(e: unknown, what: string): StateStoreError {
  const err = ensureError(e);
  return new StateStoreError(`Could not ${what} in the state table: ${err.message}`, { cause: err, statusCode: statusCodeOf(e) });
}
