// The chunk counts and bytes of a recording's archive, from its chunk rows: what the recording row (and so the
// listing) carries as its archive summary.
import type { ChunkRecord } from '../../calls/archiveStateModels.js';

export interface ChunkCounts {
  archiveChunksTotal: number;
  archiveChunksArchived: number;
  archiveChunksFailed: number;
  archiveTotalBytes: number;
}

export function summarizeChunks(chunks: readonly ChunkRecord[], total = chunks.length): ChunkCounts {
  const archived = chunks.filter((c) => c.status === 'archived');
  return {
    archiveChunksTotal: Math.max(total, chunks.length),
    archiveChunksArchived: archived.length,
    archiveChunksFailed: chunks.filter((c) => c.status === 'failed').length,
    archiveTotalBytes: archived.reduce((n, c) => n + (c.mediaSize ?? 0) + (c.metadataSize ?? 0), 0),
  };
}
