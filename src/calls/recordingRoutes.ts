// Routes of the control API (below the host's `/api` prefix). `{id}` is the base64url recording ID, which never
// contains `/`, so it always fills exactly one segment.
export const RECORDINGS_ROUTE = 'recordings';
export const RECORDING_ROUTE = 'recordings/{id}';
export const PAUSE_RECORDING_ROUTE = 'recordings/{id}/pause';
export const RESUME_RECORDING_ROUTE = 'recordings/{id}/resume';
export const ARCHIVE_RECORDING_ROUTE = 'recordings/{id}/archive';

/** The path of a recording resource, for `Location` headers. */
export function recordingPath(id: string): string {
  return `/api/${RECORDINGS_ROUTE}/${id}`;
}
/** `{file}` is `media` or `metadata`. */
export const CHUNK_FILE_ROUTE = 'recordings/{id}/chunks/{index}/{file}';
