// Outermost policy: after retries are exhausted, any non-2xx response or transport failure becomes AcsRequestError.
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { acsErrorFromResponse, acsErrorFromTransport } from '../toAcsRequestError.js';

export const acsErrorPolicyName = 'acsErrorPolicy';

/**
 * Throws {@link AcsRequestError} for statuses outside 200–299 and for network errors/timeouts. The caller's own
 * abort passes through unchanged (an AbortError). Operation-specific success sets (e.g. delete → exactly 200) are
 * checked by the clients.
 */
export function acsErrorPolicy(): PipelinePolicy {
  return {
    name: acsErrorPolicyName,
    async sendRequest(request, next) {
      let response;
      try {
        response = await next(request);
      } catch (e) {
        throw acsErrorFromTransport(e, request) ?? e;
      }
      if (response.status < 200 || response.status > 299) throw acsErrorFromResponse(response);
      return response;
    },
  };
}
