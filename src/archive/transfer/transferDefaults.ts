// The transfer engine's defaults and limits, in a module of their own with no imports: transferToBlockBlob applies
// them, and config.ts takes the ARCHIVE_BLOCK_SIZE_MIB / ARCHIVE_TRANSFER_CONCURRENCY defaults from here without
// loading the engine.

export const DEFAULT_BLOCK_SIZE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_TRANSFER_CONCURRENCY = 1;
/** Uploads in flight when not set: at least this, and at least one per range (see {@link uploadConcurrencyFor}). */
export const DEFAULT_UPLOAD_CONCURRENCY = 4;
/**
 * Resumes per call: with the first open, at most 5 failed requests to the source per file per call (one activity
 * attempt), the budget stated in docs/archive.md ("Failure model and retry owners").
 */
export const DEFAULT_MAX_RESUMES = 4;
export const DEFAULT_RETRY_DELAY_MS = 1_000;
export const DEFAULT_MAX_RETRY_DELAY_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Azure's largest block (4000 MiB). */
export const MAX_BLOCK_SIZE_BYTES = 4000 * 1024 * 1024;
export const MAX_TRANSFER_CONCURRENCY = 64;
export const MAX_UPLOAD_CONCURRENCY = 64;
