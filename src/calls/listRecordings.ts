// `GET /api/recordings`: newest first, from the listing index rows only (recordingIndexKeys.ts). Which index answers:
// `serverCallId` → that call's partition; else `callId` → that call id's partition; else the time partitions (one
// range query over the months between `from` and `to`). `from`/`to` become RowKey bounds, `archiveStatus` (and
// `callId` next to `serverCallId`) a server-side filter. The continuation token is opaque to clients: it wraps the
// table's own token with a fingerprint of the filters, so it is refused (400) with other filters or when tampered with.
import { createHash } from 'node:crypto';
import { ValidationError } from '../shared/errors.js';
import type { CallStateStore, IndexQuery } from './CallStateStore.js';
import type { ListRecordingsQuery } from './parseListRecordingsQuery.js';
import {
  callIdIndexPartition,
  rowKeyBounds,
  serverCallIndexPartition,
  TIME_INDEX_END,
  TIME_INDEX_PREFIX,
  timeIndexPartition,
} from './recordingIndexKeys.js';
import { toRecordingSummary, type RecordingSummary } from './recordingSummary.js';

/** Table pages read per request at most: a selective `archiveStatus` may then answer fewer items plus a token. */
export const MAX_INDEX_PAGES_PER_LIST = 10;

export interface RecordingList {
  items: RecordingSummary[];
  /** Present when there may be more: pass it back unchanged, with the same filters. */
  continuationToken?: string;
}

export async function listRecordings(store: CallStateStore, query: ListRecordingsQuery): Promise<RecordingList> {
  const indexQuery = toIndexQuery(query);
  const fingerprint = filterFingerprint(query);
  const continuationToken = query.continuationToken === undefined ? undefined : decodeListToken(query.continuationToken, fingerprint);
  const page = await store.queryIndex({ ...indexQuery, ...(continuationToken === undefined ? {} : { continuationToken }) });
  const items = page.rows.map(toRecordingSummary);
  return page.continuationToken === undefined ? { items } : { items, continuationToken: encodeListToken(page.continuationToken, fingerprint) };
}

export function toIndexQuery(q: ListRecordingsQuery): IndexQuery {
  const rowKey = rowKeyBounds(q.from, q.to);
  const common = { rowKey, limit: q.limit, maxPages: MAX_INDEX_PAGES_PER_LIST, ...(q.archiveStatus ? { archiveStatus: q.archiveStatus } : {}) };
  if (q.serverCallId !== undefined) return { ...common, partition: { eq: serverCallIndexPartition(q.serverCallId) }, ...(q.callId === undefined ? {} : { callId: q.callId }) };
  if (q.callId !== undefined) return { ...common, partition: { eq: callIdIndexPartition(q.callId) } };
  // Newer months have smaller partition keys: `to`'s month is the lower bound, the month after `from`'s the upper.
  const ge = q.to ? timeIndexPartition(q.to) : TIME_INDEX_PREFIX;
  const lt = q.from ? `${timeIndexPartition(q.from)}.` : TIME_INDEX_END;
  return { ...common, partition: { ge, lt } };
}

function filterFingerprint(q: ListRecordingsQuery): string {
  const filters = [q.serverCallId ?? null, q.callId ?? null, q.from?.toISOString() ?? null, q.to?.toISOString() ?? null, q.archiveStatus ?? null];
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

function encodeListToken(tableToken: string, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, t: tableToken }), 'utf8').toString('base64url');
}

function invalidToken(reason: string): ValidationError {
  return new ValidationError(`The continuationToken is invalid: ${reason}`, [{ path: 'continuationToken', message: reason }]);
}

/** The table's token inside a list token, after checking it belongs to this query. */
function decodeListToken(token: string, fingerprint: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken('it is not a token this API issued');
  }
  const t = parsed as { v?: unknown; f?: unknown; t?: unknown } | null;
  if (typeof t !== 'object' || t === null || t.v !== 1 || typeof t.f !== 'string' || typeof t.t !== 'string') {
    throw invalidToken('it is not a token this API issued');
  }
  if (t.f !== fingerprint) throw invalidToken('it was issued for other filters; repeat the query with the same filters');
  // The table's own token (opaque position of the next row). Whatever it says, the query's filter still bounds what
  // is read, so a forged position cannot reach rows outside this query's index.
  let next: unknown;
  try {
    next = JSON.parse(Buffer.from(t.t, 'base64').toString('utf8'));
  } catch {
    throw invalidToken('it is damaged');
  }
  const pk = (next as { nextPartitionKey?: unknown } | null)?.nextPartitionKey;
  if (typeof pk !== 'string' || pk === '') throw invalidToken('it is damaged');
  return t.t;
}
