// Media download/delete (ACS recording files on AMS storage) are signed as if they were addressed to the ACS
// resource — `GET {acs origin}{storage path}` with host = ACS host — and then sent to the storage URL with
// `x-ms-host: <acs host>` (reference §3.2; the Call Automation SDK's ContentDownloader does the same).
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const msHostHeaderPolicyName = 'msHostHeaderPolicy';

/** The header carrying the real storage URL while the request is signed for the ACS origin (the SDK's name). */
export const ORIGINAL_URL_HEADER = 'OriginalUrl';

/**
 * Runs after the "Sign" phase: swaps `request.url` to the `OriginalUrl` header and sets `Host` to the storage host.
 * Restores the signing URL afterwards, because a retry passes through signing again and must sign the ACS URL.
 */
export function msHostHeaderPolicy(): PipelinePolicy {
  return {
    name: msHostHeaderPolicyName,
    async sendRequest(request, next) {
      const original = request.headers.get(ORIGINAL_URL_HEADER);
      if (!original) return next(request);
      const signingUrl = request.url;
      request.url = original;
      request.headers.set('Host', new URL(original).host);
      try {
        return await next(request);
      } finally {
        request.url = signingUrl;
      }
    },
  };
}
