// Signs media requests the way the Call Automation SDK does (reference §3.2): HMAC over `{acs origin}{storage
// pathname}` with `x-ms-host: <acs host>`, then sent to the storage URL itself (here: the emulator).
import type { AcsEmulator } from '../../../../tools/acs-emulator/index.js';
import { sendSigned, type SignedResponse } from '../../../../tools/acs-emulator/control/signedClient.js';

/** The storage URL of a minted location, on the emulator's own port (for emulators started without mediaOrigin). */
export function onEmulator(acs: AcsEmulator, location: string): string {
  const u = new URL(location);
  return `${acs.endpoint.replace(/\/$/, '')}${u.pathname}${u.search}`;
}

export function mediaRequest(
  acs: AcsEmulator,
  method: 'GET' | 'DELETE',
  location: string,
  headers: Record<string, string> = {},
  stream = method === 'GET',
): Promise<SignedResponse> {
  const target = onEmulator(acs, location);
  const acsOrigin = new URL(acs.endpoint);
  return sendSigned(acs.accessKey, {
    method,
    url: `${acsOrigin.origin}${new URL(target).pathname}`,
    sendTo: target,
    headers: { 'x-ms-host': acsOrigin.host, OriginalUrl: target, accept: 'application/json', ...headers },
    stream,
  });
}
