// AcsMediaClient over core-rest-pipeline: streams and deletes recording files on ACS media storage (AMS) with the
// x-ms-host signing trick, after checking every URL against the media allow-list. That check is the last line of
// defence, and one of exactly two: the edge checks every URL of an event (src/archive/parseRecordingFileStatusUpdated.ts),
// this client checks it again before anything is signed; nothing in between repeats it.
// A download is ONE attempt: its caller, the transfer engine's SourceReader, owns the quick retries of a file read
// (it must resume a broken body by Range anyway), so the two layers do not multiply each other's attempts. A delete
// keeps the pipeline's retries (ACS_MAX_RETRIES).
import { createDefaultHttpClient, type HttpMethods, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { AcsAuthConfig } from '../config.js';
import { acsOrigin } from './acsOrigin.js';
import { DEFAULT_ACS_TIMEOUT_MS, type AcsClientOptions } from './AcsClientOptions.js';
import { createAcsPipeline } from './createAcsPipeline.js';
import { guardDownloadStream } from './guardDownloadStream.js';
import { assertAllowedMediaUrl } from './mediaUrlAllowList.js';
import type { AcsMediaClient, MediaDownload, MediaDownloadOptions } from './models.js';
import { parseContentRange } from './parseContentRange.js';
import { msHostHeaderPolicy, ORIGINAL_URL_HEADER } from './policies/msHostHeaderPolicy.js';
import { sendAcsRequest, type AcsTransport } from './sendAcsRequest.js';

/** Options of {@link RestAcsMediaClient}. */
export type RestAcsMediaClientOptions = AcsClientOptions;

/**
 * Downloads (`GET`, streamed, optional byte range) and deletes (`DELETE`, success is exactly 200) recording files by
 * the `contentLocation` / `metadataLocation` / `deleteLocation` URLs of `RecordingFileStatusUpdated`.
 *
 * Each request is signed for `{acs origin}{storage path}` (query dropped) with host = ACS host, then sent to the
 * storage URL with `x-ms-host: <acs host>` (reference §3.2). A URL whose origin is not in `mediaAllowedOrigins`
 * is refused with DisallowedUrlError before anything is signed or sent.
 */
export class RestAcsMediaClient implements AcsMediaClient {
  private readonly origin: URL;
  private readonly transport: AcsTransport;
  private readonly downloadTransport: AcsTransport;
  private readonly timeoutMs: number;

  constructor(
    auth: AcsAuthConfig,
    private readonly mediaAllowedOrigins: readonly string[],
    options: RestAcsMediaClientOptions = {},
  ) {
    this.origin = acsOrigin(auth.endpoint);
    const pipeline = createAcsPipeline(auth, options);
    pipeline.addPolicy(msHostHeaderPolicy(), { afterPhase: 'Sign' });
    const downloadPipeline = createAcsPipeline(auth, { ...options, maxRetries: 0 });
    downloadPipeline.addPolicy(msHostHeaderPolicy(), { afterPhase: 'Sign' });
    const httpClient = options.httpClient ?? createDefaultHttpClient();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ACS_TIMEOUT_MS;
    this.transport = { pipeline, httpClient, timeoutMs: this.timeoutMs };
    this.downloadTransport = { pipeline: downloadPipeline, httpClient, timeoutMs: this.timeoutMs };
  }

  /**
   * Streams a file (or the range `offset`…`offset+length-1`; `offset` alone reads to the end). The body is never
   * buffered; a reset, short or stalled body errors the stream with an AcsRequestError. One attempt, no retries: a
   * failure is thrown at once, with the `retryAfterMs` the service asked for.
   */
  async download(url: string, options: MediaDownloadOptions = {}): Promise<MediaDownload> {
    const range = rangeHeader(options.offset, options.length);
    const response = await this.send('GET', url, options, range, [200, 206]);
    const contentLength = toInt(response.headers.get('content-length'));
    const contentRange = parseContentRange(response.headers.get('content-range'));
    // A 200 is the whole file (some AMS responses still carry a Content-Range: trust it when present).
    const start = contentRange?.start ?? (response.status === 206 ? (options.offset ?? 0) : 0);
    const totalSize = contentRange?.total ?? (response.status === 200 ? contentLength : undefined);
    const result: MediaDownload = {
      status: response.status,
      body: guardDownloadStream(response.readableStreamBody!, { expectedBytes: contentLength, idleTimeoutMs: this.timeoutMs }),
      start,
    };
    if (contentLength !== undefined) result.contentLength = contentLength;
    if (totalSize !== undefined) result.totalSize = totalSize;
    const contentType = response.headers.get('content-type');
    if (contentType) result.contentType = contentType;
    return result;
  }

  /** Deletes the chunk's files; anything but 200 (even a 204) is an AcsRequestError, as in the ACS SDKs. */
  async delete(url: string, options: MediaDownloadOptions = {}): Promise<void> {
    await this.send('DELETE', url, options, undefined, [200]);
  }

  private send(
    method: HttpMethods,
    url: string,
    options: MediaDownloadOptions,
    range: string | undefined,
    expected: number[],
  ): Promise<PipelineResponse> {
    // First, before anything is signed: a signed request must never leave for a foreign host.
    assertAllowedMediaUrl(url, this.mediaAllowedOrigins, 'url');
    const target = new URL(url);
    return sendAcsRequest(method === 'GET' ? this.downloadTransport : this.transport, {
      method,
      // Signed as if addressed to ACS; msHostHeaderPolicy sends it to `url` after signing.
      url: `${this.origin.origin}${target.pathname}`,
      sentTo: target,
      headers: { [ORIGINAL_URL_HEADER]: url, 'x-ms-host': this.origin.host, Accept: 'application/json', ...(range ? { Range: range } : {}) },
      expected,
      stream: method === 'GET',
      log: {
        operation: method === 'GET' ? 'downloadMedia' : 'deleteMedia',
        correlationId: options.correlationId,
        serverCallId: options.serverCallId,
        recordingId: options.recordingId,
      },
      options,
    });
  }
}

/** `Range` as the Call Automation SDK builds it (§3.3), minus its "offset 0 counts as missing" bug. */
function rangeHeader(offset: number | undefined, length: number | undefined): string | undefined {
  if (offset === undefined && length === undefined) return undefined;
  const from = offset ?? 0;
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  if (length === undefined) return `bytes=${from}-`;
  if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`length must be a positive integer, got ${length}`);
  return `bytes=${from}-${from + length - 1}`;
}

function toInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
