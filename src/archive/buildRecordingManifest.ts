// The per-recording manifest (`manifest.json` next to the chunks): one JSON document that says what the recording
// was, where each chunk's files are, that they were verified (size + MD5), who was on which channel, and whether the
// source at ACS was deleted. Pure: the activity that writes it adds only I/O.
import type {
  ArchiveFailure,
  ArchivedFile,
  ChunkOutcome,
  ChunkStatus,
  RecordingArchiveStatus,
  RecordingManifestSource,
} from './archiveModels.js';
import type { RecordingRef } from './archivePlan.js';

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

/**
 * Two deliveries of one recording disagree about a chunk: another documentId for an index the manifest already
 * lists. Both copies are kept as blobs (their names carry the documentId); `chunks` lists one, the others are here,
 * for an operator to decide (the activity logs the error `ChunkConflict`).
 */
export interface ManifestChunkConflict {
  index: number;
  /** Every documentId announced for the index; the first is the one `chunks` lists. */
  documentIds: string[];
  /** The entries of the other documentIds, in full (files, status, deletion). */
  chunks: ManifestChunk[];
}

export interface RecordingManifest extends RecordingRef {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  status: RecordingArchiveStatus;
  blobPrefix: string;
  /** Orchestration instances that contributed (more than one only if ACS announced different chunk sets). */
  orchestrationInstanceIds: string[];
  sourceEventIds: string[];
  updatedAt: string;
  /** One entry per index. */
  chunks: ManifestChunk[];
  /** Present only when deliveries disagreed about a chunk (see {@link ManifestChunkConflict}). */
  conflicts?: ManifestChunkConflict[];
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
 * archived entry wins over a failed one, and a source once deleted stays deleted. Then every index is listed once:
 * when two document ids share an index, the archived one (else the one listed before) stays in `chunks` and the
 * others go to `conflicts`. Without an existing manifest, or with one for another recording (never expected), the
 * new one is returned unchanged.
 */
export function mergeRecordingManifests(existing: RecordingManifest | undefined, next: RecordingManifest): RecordingManifest {
  if (!existing || existing.recordingId !== next.recordingId || existing.schemaVersion !== next.schemaVersion) return next;
  // Rank: listed before (0), in a conflict before (1), new (2); a lower rank stays listed when both are archived.
  const byDoc = new Map<string, { chunk: ManifestChunk; rank: number }>();
  for (const c of existing.chunks) byDoc.set(c.documentId, { chunk: c, rank: 0 });
  for (const conflict of existing.conflicts ?? []) for (const c of conflict.chunks) byDoc.set(c.documentId, { chunk: c, rank: 1 });
  for (const c of next.chunks) {
    const old = byDoc.get(c.documentId);
    if (!old) {
      byDoc.set(c.documentId, { chunk: c, rank: 2 });
      continue;
    }
    const winner = old.chunk.status === 'archived' && c.status !== 'archived' ? old.chunk : c;
    const deleted = old.chunk.sourceDeleted || c.sourceDeleted;
    const merged: ManifestChunk = { ...winner, sourceDeleted: deleted };
    const deletedAt = [old.chunk.sourceDeletedAt, c.sourceDeletedAt].filter((v): v is string => !!v).sort()[0];
    if (deletedAt) merged.sourceDeletedAt = deletedAt;
    byDoc.set(c.documentId, { chunk: merged, rank: old.rank });
  }
  const { chunks, conflicts } = onePerIndex([...byDoc.values()]);
  const manifest: RecordingManifest = {
    ...existing,
    ...next,
    status: recordingArchiveStatus(chunks),
    orchestrationInstanceIds: union(existing.orchestrationInstanceIds, next.orchestrationInstanceIds),
    sourceEventIds: union(existing.sourceEventIds, next.sourceEventIds),
    chunks,
  };
  if (conflicts.length) manifest.conflicts = conflicts;
  else delete manifest.conflicts;
  return manifest;
}

/** Lists every index once; the other document ids of an index become conflicts. */
function onePerIndex(entries: { chunk: ManifestChunk; rank: number }[]): { chunks: ManifestChunk[]; conflicts: ManifestChunkConflict[] } {
  const byIndex = new Map<number, { chunk: ManifestChunk; rank: number }[]>();
  for (const e of entries) byIndex.set(e.chunk.index, [...(byIndex.get(e.chunk.index) ?? []), e]);
  const chunks: ManifestChunk[] = [];
  const conflicts: ManifestChunkConflict[] = [];
  for (const [index, group] of [...byIndex.entries()].sort(([a], [b]) => a - b)) {
    group.sort(
      (a, b) =>
        Number(b.chunk.status === 'archived') - Number(a.chunk.status === 'archived') ||
        a.rank - b.rank ||
        a.chunk.documentId.localeCompare(b.chunk.documentId),
    );
    chunks.push(group[0]!.chunk);
    if (group.length > 1) {
      conflicts.push({ index, documentIds: group.map((e) => e.chunk.documentId), chunks: group.slice(1).map((e) => e.chunk) });
    }
  }
  return { chunks, conflicts };
}

function union(a: readonly string[] = [], b: readonly string[] = []): string[] {
  return [...new Set([...a, ...b])];
}
