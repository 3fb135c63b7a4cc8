// Recognising the Durable client's failures, in one place. durable-functions 3.x gives no typed error and no status
// property for them (checked in node_modules/durable-functions/lib/src/durableClient/DurableClient.js, 3.5.0): every
// HTTP failure of the extension is a plain `Error` whose message alone carries the status —
//   createGenericError:  "The operation failed with an unexpected status code: 500. Details: {…}"
//   getStatus's 404:     "DurableClient error: Durable Functions extension replied with HTTP 404 response. …"
//   an empty body:       "DurableClient error: the Durable Functions extension replied with an empty HTTP 400 response."
// and startNew of an instance id that is pending or running is the extension's 500 "… already exists.". So the
// message is read, here and nowhere else; a library version that changes these texts fails the tests that drive the
// real client against tools/local/host/durableClientApi.ts.

const STATUS_IN_MESSAGE = /(?:unexpected status code: |replied with (?:an empty )?HTTP )(\d{3})\b/;

/** The HTTP status a Durable client error reports in its message, if it is one. */
export function durableClientStatus(e: unknown): number | undefined {
  const message = (e as { message?: unknown } | null | undefined)?.message;
  if (typeof message !== 'string') return undefined;
  const status = STATUS_IN_MESSAGE.exec(message)?.[1];
  return status === undefined ? undefined : Number(status);
}

/** startNew of an instance id that is pending or running (the extension answers 500 "…already exists."). */
export function isDurableInstanceAlreadyExists(e: unknown): boolean {
  return e instanceof Error && /already exists/i.test(e.message);
}
