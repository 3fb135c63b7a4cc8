// The `recordingStateCallbackUri` handed to ACS on every start: this app's own callback endpoint, carrying the
// `?token=` secret when CALLBACK_TOKEN is set (ACS then echoes it on RecordingStateChanged / StartRecordingFailed).

/** Route of the Call Automation callback function (below the host's `/api` prefix). */
export const CALL_AUTOMATION_CALLBACK_ROUTE = 'callbacks/call-automation';

/** `${publicBaseUrl}/api/callbacks/call-automation[?token=…]`, or undefined when PUBLIC_BASE_URL is not set. */
export function recordingCallbackUri(publicBaseUrl: string | undefined, callbackToken: string | undefined): string | undefined {
  if (!publicBaseUrl) return undefined;
  const url = new URL(`${publicBaseUrl.replace(/\/+$/, '')}/api/${CALL_AUTOMATION_CALLBACK_ROUTE}`);
  if (callbackToken) url.searchParams.set('token', callbackToken);
  return url.toString();
}
