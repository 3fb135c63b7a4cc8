// The per-recording manifest (`manifest.json` next to the chunks): one JSON document that says what the recording
// was, where each chunk's files are, that they were verified (size + MD5), who was on which channel, and whether the
// source at ACS was deleted. Pure: the activity that writes it adds only I/O.
import type {
  ArchiveFailure,
  ArchivedFile,
  ChunkOutcome,
  ChunkStatus,
  RecordingArchiveStatus,
  RecordingRef,
  RecordingManifestSource,
} from './archiveModels.js';

export const MANIFEST_SCHEMA_VERSION = 1;

export interface ManifestChunk {
  index: number;
  documentId: string;
  endReason: string;
  status: ChunkStatus;
  chunkStartTime?: string;
  chunkDurationMs?: number;
  media?: ArchivedFile;
  metadata?: ArchivedFile;
  participants: string[];
  channels: { channel: number; participantId: string }[];
  archivedAt?: string;
  sourceDeleted: boolean;
  sourceDeletedAt?: string;
  failures: ArchiveFailure[];
}

export interface RecordingManifest extends RecordingRef {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  status: RecordingArchiveStatus;
  blobPrefix: string;
  /** Orchestration instances that contributed (more than one only if ACS announced different chunk sets). */
  orchestrationInstanceIds: string[];
  sourceEventIds: string[];
  updatedAt: string;
  chunks: ManifestChunk[];
}

/** Overall status from the chunk outcomes. */
export function recordingArchiveStatus(chunks: readonly { status: ChunkStatus }[]): RecordingArchiveStatus {
  if (chunks.length === 0) return 'empty';
  const archived = chunks.filter((c) => c.status === 'archived').length;
  if (archived === chunks.length) return 'archived';
  return archived === 0 ? 'failed' : 'partial';
}

function manifestChunk(c: ChunkOutcome): ManifestChunk {
  const m: ManifestChunk = {
    index: c.index,
    documentId: c.documentId,
    endReason: c.endReason,
    status: c.status,
    participants: c.summary?.participants ?? [],
    channels: c.summary?.channels ?? [],
    sourceDeleted: c.sourceDeleted,
    failures: c.failures,
  };
  if (c.summary?.chunkStartTime !== undefined) m.chunkStartTime = c.summary.chunkStartTime;
  if (c.summary?.chunkDurationMs !== undefined) m.chunkDurationMs = c.summary.chunkDurationMs;
  if (c.media) m.media = c.media;
  if (c.metadata) m.metadata = c.metadata;
  if (c.archivedAt) m.archivedAt = c.archivedAt;
  if (c.sourceDeletedAt) m.sourceDeletedAt = c.sourceDeletedAt;
  return m;
}

/** Builds the manifest for one orchestration's outcomes. */
export function buildRecordingManifest(input: RecordingManifestSource): RecordingManifest {
  const chunks = input.chunks.map(manifestChunk).sort((a, b) => a.index - b.index);
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    ...input.recording,
    status: recordingArchiveStatus(chunks),
    blobPrefix: input.blobPrefix,
    orchestrationInstanceIds: [input.instanceId],
    sourceEventIds: [input.sourceEventId],
    updatedAt: input.completedAt,
    chunks,
  };
}

/**
 * Merges a manifest already in storage with a new one for the same recording: chunks are keyed by document id, an
 * archived entry wins over a failed one, and a source once deleted stays deleted. Without an existing manifest, or
 * with one for another recording (never expected), the new one is returned unchanged.
 */
export function mergeRecordingManifests(existing: RecordingManifest | undefined, next: RecordingManifest): RecordingManifest {
  if (!existing || existing.recordingId !== next.recordingId || existing.schemaVersion !== next.schemaVersion) return next;
  const byDoc = new Map<string, ManifestChunk>();
  for (const c of existing.chunks) byDoc.set(c.documentId, c);
  for (const c of next.chunks) {
    const old = byDoc.get(c.documentId);
    if (!old) {
      byDoc.set(c.documentId, c);
      continue;
    }
    const winner = old.status === 'archived' && c.status !== 'archived' ? old : c;
    const deleted = old.sourceDeleted || c.sourceDeleted;
    const merged: ManifestChunk = { ...winner, sourceDeleted: deleted };
    const deletedAt = [old.sourceDeletedAt, c.sourceDeletedAt].filter((v): v is string => !!v).sort()[0];
    if (deletedAt) merged.sourceDeletedAt = deletedAt;
    byDoc.set(c.documentId, merged);
  }
  const chunks = [...byDoc.values()].sort((a, b) => a.index - b.index || a.documentId.localeCompare(b.documentId));
  return {
    ...existing,
    ...next,
    status: recordingArchiveStatus(chunks),
    orchestrationInstanceIds: union(existing.orchestrationInstanceIds, next.orchestrationInstanceIds),
    sourceEventIds: union(existing.sourceEventIds, next.sourceEventIds),
    chunks,
  };
}

function union(a: readonly string[] = [], b: readonly string[] = []): string[] {
  return [...new Set([...a, ...b])];
}
