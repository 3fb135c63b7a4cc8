// GET /api/recordings/{id}/chunks/{index}/media and …/metadata — 302 to a read-only SAS URL of that archived blob,
// valid for DOWNLOAD_LINK_MINUTES; 404 when the chunk is not archived (see src/archive/chunkDownloadLink.ts). With
// `Accept: application/json` it answers 200 {url, expiresOn} instead, for a page that must not follow the redirect
// from script with the function key (the console sets a player's src to the URL).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { chunkDownloadLink, type ChunkFileName } from '../archive/chunkDownloadLink.js';
import { stateStore } from '../calls/callServices.js';
import { fromRecordingRouteId } from '../calls/recordingIdEncoding.js';
import { CHUNK_FILE_ROUTE } from '../calls/recordingRoutes.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { getConfig } from '../config.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { contextLogger } from '../shared/logging.js';

const FILES: readonly ChunkFileName[] = ['media', 'metadata'];

export async function handleChunkDownload(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let log = contextLogger(context);
  try {
    const recordingId = fromRecordingRouteId(request.params.id);
    log = log.with({ recordingId });
    const index = request.params.index ?? '';
    if (!/^\d{1,9}$/.test(index)) throw new ValidationError('The chunk {index} must be a non-negative integer', { index });
    const file = FILES.find((f) => f === request.params.file);
    if (!file) throw new NotFoundError('A chunk has the files media and metadata');
    const link = await chunkDownloadLink(stateStore.get(), { recordingId, index: Number(index), file }, getConfig().downloadLinkMinutes * 60_000, log);
    if (/\bapplication\/json\b/i.test(request.headers.get('accept') ?? '')) {
      return { status: 200, jsonBody: { url: link.url, expiresOn: link.expiresOn.toISOString() }, headers: { 'Cache-Control': 'no-store', Vary: 'Accept' } };
    }
    return { status: 302, headers: { Location: link.url, 'Cache-Control': 'no-store', Vary: 'Accept' } };
  } catch (e) {
    return toApiResponse(e, log);
  }
}

app.http('downloadRecordingChunk', { route: CHUNK_FILE_ROUTE, methods: ['GET'], authLevel: 'function', handler: handleChunkDownload });
