// Keys of the listing index rows (see docs/callbacks-and-api.md, "The state table"). Every recording has an index
// row per way it can be listed, each holding its summary:
//   time:         PartitionKey `!t-{999999 - yyyyMM}`           RowKey `{9999999999999 - epoch ms}-{recording key}`
//   serverCallId: PartitionKey `!s-{stateTableKey(serverCallId)}` RowKey (the same)
//   callId:       PartitionKey `!c-{stateTableKey(callId)}`       RowKey (the same)
// Reversed month and reversed milliseconds make the table's own (PartitionKey, RowKey) order newest first, so a time
// range is one range query over a few month partitions and a call's recordings one partition query. `!` never occurs
// in stateTableKey's output (base64url, or `~` + digest), so index rows cannot collide with call or recording rows.
import { stateTableKey } from './stateTableKey.js';

export const TIME_INDEX_PREFIX = '!t-';
export const SERVER_CALL_INDEX_PREFIX = '!s-';
export const CALL_ID_INDEX_PREFIX = '!c-';
/** The character right after `-`: `PartitionKey lt '!t.'` bounds the time partitions. */
export const TIME_INDEX_END = '!t.';

const MAX_MS = 9_999_999_999_999;
const MS_DIGITS = 13;

/** The time partition of an instant: its UTC month, reversed (newer months sort first). */
export function timeIndexPartition(at: Date): string {
  const month = at.getUTCFullYear() * 100 + at.getUTCMonth() + 1;
  return `${TIME_INDEX_PREFIX}${String(999_999 - month).padStart(6, '0')}`;
}

/** The reversed-time prefix of a RowKey: smaller for later instants. */
export function reversedTime(at: Date): string {
  return String(MAX_MS - at.getTime()).padStart(MS_DIGITS, '0');
}

/** The RowKey of a recording's index rows. */
export function indexRowKey(at: Date, recordingId: string): string {
  return `${reversedTime(at)}-${stateTableKey(recordingId)}`;
}

/** RowKey bounds of `[from, to]` (either open): `ge` the reversed `to`, `lt` the reversed `from` plus one. */
export function rowKeyBounds(from?: Date, to?: Date): { ge?: string; lt?: string } {
  return {
    ...(to ? { ge: reversedTime(to) } : {}),
    ...(from ? { lt: String(MAX_MS - from.getTime() + 1).padStart(MS_DIGITS, '0') } : {}),
  };
}

export const serverCallIndexPartition = (serverCallId: string): string => `${SERVER_CALL_INDEX_PREFIX}${stateTableKey(serverCallId)}`;
export const callIdIndexPartition = (callId: string): string => `${CALL_ID_INDEX_PREFIX}${stateTableKey(callId)}`;
