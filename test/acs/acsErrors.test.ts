// ACS error bodies and the typed AcsRequestError built from a failed response. Its classification is the failure
// model's (test/shared/failureModel.test.ts).
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { AcsRequestError } from '../../src/acs/errors.js';
import { parseAcsErrorBody } from '../../src/acs/parseAcsErrorBody.js';
import { acsErrorFromResponse } from '../../src/acs/toAcsRequestError.js';

describe('parseAcsErrorBody', () => {
  it.each<[string, number, string | undefined, string | undefined, { code: string; message: string }]>([
    ['ACS CommunicationErrorResponse', 500, 'application/json', '{"error":{"code":"9999","message":"Unknown internal server error."}}', { code: '9999', message: 'Unknown internal server error.' }],
    ['ACS auth failure', 401, 'application/json', '{"error":{"code":"Denied","message":"Denied by the resource provider."}}', { code: 'Denied', message: 'Denied by the resource provider.' }],
    ['ACS error without message', 404, 'application/json', '{"error":{"code":"NotFound"}}', { code: 'NotFound', message: 'HTTP 404 NotFound' }],
    [
      'AMS problem JSON',
      401,
      'application/json',
      '{"title":"Unauthorized","status":401,"instance":"/microsoft/ic3/ams///trace-id/00-dc4b-00","message":"Unauthorized","traceId":"00-dc4b-00"}',
      { code: 'Unauthorized', message: 'Unauthorized' },
    ],
    ['AMS title only', 404, 'application/problem+json', '{"title":"Not Found","status":404}', { code: 'Not Found', message: 'Not Found' }],
    ['other JSON with a message', 400, 'application/json', '{"message":"bad range"}', { code: 'HttpError', message: 'bad range' }],
    ['HTML gateway page', 502, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Bad Gateway</body></html>', { code: 'HttpError', message: 'HTTP 502 with a text/html body' }],
    ['HTML that starts like JSON', 500, 'text/html', '{ not json at all <html>', { code: 'HttpError', message: 'HTTP 500 with a text/html body' }],
    ['empty body', 503, undefined, '', { code: 'HttpError', message: 'HTTP 503 with an empty body' }],
    ['whitespace body', 500, 'application/json', '  \n', { code: 'HttpError', message: 'HTTP 500 with an empty body' }],
    ['no body at all', 504, undefined, undefined, { code: 'HttpError', message: 'HTTP 504 with an empty body' }],
    ['plain text, no content type', 500, undefined, 'oops', { code: 'HttpError', message: 'HTTP 500 with a non-JSON body' }],
    ['JSON array', 500, 'application/json', '[1,2]', { code: 'HttpError', message: 'HTTP 500 with a application/json body' }],
  ])('%s', (_name, status, type, body, expected) => {
    expect(parseAcsErrorBody(status, type, body)).toEqual(expected);
  });
});

describe('acsErrorFromResponse', () => {
  const response = (status: number, headers: Record<string, string>, bodyAsText: string): PipelineResponse => ({
    status,
    headers: createHttpHeaders(headers),
    bodyAsText,
    request: createPipelineRequest({ url: 'https://x.communication.azure.com/calling/recordings' }),
  });

  it('carries status, code, message, Retry-After and the request id', () => {
    const e = acsErrorFromResponse(
      response(429, { 'retry-after': '7', 'x-ms-request-id': 'rid-1' }, '{"error":{"code":"TooManyRequests","message":"Throttled"}}'),
    );
    expect(e).toBeInstanceOf(AcsRequestError);
    expect(e).toMatchObject({ name: 'AcsRequestError', statusCode: 429, code: 'TooManyRequests', message: 'Throttled', retryAfterMs: 7000, requestId: 'rid-1' });
  });

  it('never throws a SyntaxError on an HTML body', () => {
    expect(() => acsErrorFromResponse(response(502, { 'content-type': 'text/html' }, '<!DOCTYPE html>'))).not.toThrow();
    expect(acsErrorFromResponse(response(502, { 'content-type': 'text/html' }, '<!DOCTYPE html>')).message).toBe('HTTP 502 with a text/html body');
  });
});
