// One log line per attempt (it sits after the retry policy): method, redacted URL, status, attempt, duration and
// the call's correlationId/serverCallId/recordingId. URLs go through redactUrl; no header is ever logged.
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import { requestLogContext, requestLogger } from '../requestLogFields.js';
import { describeError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';

export const acsAttemptLogPolicyName = 'acsAttemptLogPolicy';

export function acsAttemptLogPolicy(clientLogger: Logger): PipelinePolicy {
  const attempts = new WeakMap<PipelineRequest, number>();
  return {
    name: acsAttemptLogPolicyName,
    async sendRequest(request, next) {
      const logger = requestLogger(request, clientLogger);
      const attempt = (attempts.get(request) ?? 0) + 1;
      attempts.set(request, attempt);
      const started = Date.now();
      const fields = () => ({
        ...requestLogContext(request),
        attempt,
        durationMs: Date.now() - started,
        requestId: request.requestId,
      });
      try {
        const response = await next(request);
        const line = { ...fields(), status: response.status };
        if (response.status >= 400) logger.warn('ACS request attempt failed', line);
        else logger.info('ACS request attempt', line);
        return response;
      } catch (e) {
        logger.warn('ACS request attempt failed', { ...fields(), error: describeError(e) });
        throw e;
      }
    },
  };
}
