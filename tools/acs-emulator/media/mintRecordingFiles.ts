// Mint the files (chunks) of a stopped recording: document ids, the three URLs, and the acsmetadata document (§5).
import type { DocumentEntry, RecordingEntry } from '../store/RecordingStore.js';
import type { EmulatorChunk } from '../types.js';
import { mintDocumentId } from '../ids/mintDocumentId.js';
import { chunkDurationMs, recordingInfo } from './recordingFormats.js';
import { participantChannels } from './participantChannels.js';

export interface MintFilesContext {
  /** Origin (optionally with a base path) under which URLs are minted, without trailing slash. */
  mediaOrigin: string;
  resourceId: string;
}

/** `startTime` of the chunk is the recording start plus the play time of the chunks before it. */
function pausesWithin(entry: RecordingEntry, from: number, to: number, last: boolean): { startTime: string; duration: number }[] {
  return entry.pauses
    .filter((p) => (p.start.getTime() >= from && p.start.getTime() < to) || (last && p.start.getTime() >= to))
    .map((p) => ({
      startTime: p.start.toISOString(),
      duration: Math.max(0, (p.end ?? entry.recording.stopTime ?? new Date()).getTime() - p.start.getTime()),
    }));
}

/** Builds one document per size; the caller stores them and attaches the chunks to the recording. */
export function mintRecordingFiles(entry: RecordingEntry, sizes: number[], ctx: MintFilesContext): DocumentEntry[] {
  const { recording, call } = entry;
  const participants = participantChannels(recording, call.participants);
  const channels = recording.channel === 'unmixed' ? Math.max(1, Math.min(5, participants.length)) : 1;
  const contentKind = recording.content === 'audioVideo' ? 'video' : 'audio';
  let chunkStart = recording.startTime.getTime();
  return sizes.map((sizeBytes, index) => {
    const documentId = mintDocumentId();
    const duration = chunkDurationMs(recording, channels, sizeBytes);
    const last = index === sizes.length - 1;
    const metadata = {
      resourceId: ctx.resourceId,
      callId: call.correlationId,
      chunkDocumentId: documentId,
      chunkIndex: index,
      chunkStartTime: new Date(chunkStart).toISOString(),
      chunkDuration: duration,
      pauseResumeIntervals: pausesWithin(entry, chunkStart, chunkStart + duration, last),
      recordingInfo: recordingInfo(recording, channels),
      participants,
    };
    chunkStart += duration;
    const base = `${ctx.mediaOrigin}/v1/objects/${documentId}`;
    const chunk: EmulatorChunk = {
      documentId,
      index,
      endReason: last ? 'SessionEnded' : 'ChunkMaximumSizeExceeded',
      sizeBytes,
      contentLocation: `${base}/content/${contentKind}`,
      metadataLocation: `${base}/content/acsmetadata`,
      deleteLocation: base,
      deleted: false,
      metadata,
    };
    return { chunk, recordingId: recording.recordingId, contentKind, format: recording.format, metadataBytes: Buffer.from(JSON.stringify(metadata, null, 2)) };
  });
}
