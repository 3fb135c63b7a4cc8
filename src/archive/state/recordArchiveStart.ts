// The trigger's write of an archive's start into the state table, before the orchestration starts: the recording row
// (created when this app never saw the recording, i.e. it was started outside the app) gets `archiving`, the instance
// id, the call id and the ended state; each planned chunk gets its row as `pending`, except chunks already archived
// (a re-drive or a second announcement keeps them). Bounded concurrency keeps a 500-chunk event within Event Grid's 30 s.
import type { ChunkRecord } from '../../calls/archiveStateModels.js';
import { chunkRow, recordingRow, type CallStateStore } from '../../calls/CallStateStore.js';
import type { RecordingRecord } from '../../calls/callStateModels.js';
import { isOlderEvent } from '../../calls/isOlderEvent.js';
import { mutateRow } from '../../calls/mutateRow.js';
import type { ArchivePlan } from '../archivePlan.js';
import { mapWithConcurrency } from '../mapWithConcurrency.js';
import { recordingFactsFromPlan } from './recordingFactsFromPlan.js';
import { summarizeChunks } from './summarizeChunks.js';

/** Chunk rows written at the same time. */
export const ARCHIVE_START_WRITE_CONCURRENCY = 16;

export interface ArchiveStart {
  plan: ArchivePlan;
  instanceId: string;
  /** The file event's time: the recording had ended by then. */
  eventTime?: string;
  /** Until when transient failures are retried, when the orchestration has one. */
  deadline?: string;
  now: Date;
}

export async function recordArchiveStart(store: CallStateStore, start: ArchiveStart): Promise<void> {
  const { plan, instanceId, now } = start;
  const { recordingId } = plan.recording;
  const nowIso = now.toISOString();
  const existing = new Map((await store.listChunks(recordingId)).map((c) => [c.value.index, c]));
  await mapWithConcurrency(plan.chunks, ARCHIVE_START_WRITE_CONCURRENCY, (chunk) =>
    mutateRow(
      chunkRow(store, recordingId, chunk.index),
      (current): ChunkRecord | undefined => {
        if (current?.status === 'archived' && current.documentId === chunk.documentId) return undefined;
        if (current?.status === 'pending' && current.documentId === chunk.documentId) return undefined;
        return { recordingId, index: chunk.index, documentId: chunk.documentId, status: 'pending', updatedAt: nowIso };
      },
      { snapshot: { row: existing.get(chunk.index) } },
    ),
  );
  const counts = summarizeChunks(
    (await store.listChunks(recordingId)).map((c) => c.value),
    plan.chunks.length,
  );
  const endedAt = start.eventTime ?? nowIso;
  await mutateRow(recordingRow(store, recordingId), (current): RecordingRecord => {
    const ended = current?.state !== 'failed' && !isOlderEvent(endedAt, current?.stateChangedAt);
    return {
      ...current,
      ...recordingFactsFromPlan(current, plan),
      // Files are announced once the recording has ended.
      state: ended ? 'stopped' : current?.state,
      stateChangedAt: ended ? endedAt : current?.stateChangedAt,
      archiveStatus: 'archiving',
      archiveInstanceId: instanceId,
      archiveUpdatedAt: nowIso,
      archiveDeadline: start.deadline,
      archiveNextAttemptAt: undefined,
      archiveManifestBlobName: undefined,
      ...counts,
      updatedAt: nowIso,
    };
  });
}
