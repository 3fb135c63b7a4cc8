// The one-character-per-chunk status the orchestration reports (custom status and output). Compact on purpose:
// both are stored with the instance (custom status is limited to 16 KB) and the output is part of the history.
import type { ChunkStatusCode } from './archiveModels.js';

/** `D` archived + source deleted, `A` archived + source kept, `F` not archived, `P` not settled yet. */
export function chunkStatusCode(c: { settled?: boolean; archived: boolean; sourceDeleted: boolean }): ChunkStatusCode {
  if (c.settled === false) return 'P';
  if (!c.archived) return 'F';
  return c.sourceDeleted ? 'D' : 'A';
}

/** Counts of a status string. */
export function countChunkStatus(codes: string): { chunksTotal: number; chunksArchived: number; chunksFailed: number; sourcesDeleted: number } {
  const n = (c: ChunkStatusCode) => [...codes].filter((x) => x === c).length;
  return { chunksTotal: codes.length, chunksArchived: n('D') + n('A'), chunksFailed: n('F'), sourcesDeleted: n('D') };
}
