// The origin every ACS request is addressed (and signed) to, from the configured endpoint.
import { ConfigError } from '../config.js';
import { isLoopbackHttpUrl } from './isLoopbackHttpUrl.js';

/** The endpoint's origin (any path is ignored); plain http is accepted only for the loopback emulator. */
export function acsOrigin(endpoint: string): URL {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !isLoopbackHttpUrl(url)) {
    throw new ConfigError(`The ACS endpoint must be https (plain http only for 127.0.0.1/localhost), got ${url.origin}`);
  }
  return new URL(url.origin);
}
