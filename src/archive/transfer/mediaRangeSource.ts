// Adapts the ACS media client to a RangeSource: each open is one signed GET of the recording file, ranged when the
// transfer resumes or reads in parallel. The client's `MediaDownload` IS a RangeSourceResponse (the same idea: one
// response of a ranged read, with its start, sizes and type), so it is handed over as it is, not copied field by field.
import type { AcsMediaClient, MediaDownloadOptions } from '../../acs/models.js';
import { redactUrl, type Logger } from '../../shared/logging.js';
import type { RangeSource, RangeSourceResponse } from './RangeSource.js';

/** Log context passed to every download (and the invocation's logger for its attempt lines). */
export interface MediaRangeSourceOptions {
  recordingId?: string;
  correlationId?: string;
  serverCallId?: string;
  logger?: Logger;
}

/** A {@link RangeSource} over `contentLocation` / `metadataLocation` of a recording chunk. */
export function mediaRangeSource(client: AcsMediaClient, url: string, options: MediaRangeSourceOptions = {}): RangeSource {
  return {
    // The URL may carry a signed query: never log it as is.
    label: redactUrl(url),
    async open(offset, { length, abortSignal } = {}): Promise<RangeSourceResponse> {
      const request: MediaDownloadOptions = { ...options, abortSignal };
      // From the start with no length: no Range header at all, so an empty file is a plain 200, not a 416.
      if (offset > 0 || length !== undefined) request.offset = offset;
      if (length !== undefined) request.length = length;
      return client.download(url, request);
    },
  };
}
