// The allow-list that keeps signed requests from ever leaving for a foreign host (SSRF / credential exfiltration).
// Entries are `scheme://host[:port]`; a host may start with `*.` to match any subdomain (not the bare domain).
import { DisallowedUrlError } from './errors.js';

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

export function isAllowedMediaUrl(url: string, allowedOrigins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const port = u.port || defaultPort(u.protocol);
  const host = u.hostname.toLowerCase();
  return allowedOrigins.some((origin) => {
    const m = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\d+))?$/i.exec(origin.trim());
    if (!m) return false;
    const [, scheme, wildcard, allowedHost, allowedPort] = m;
    if (`${scheme!.toLowerCase()}:` !== u.protocol) return false;
    if ((allowedPort ?? defaultPort(u.protocol)) !== port) return false;
    const base = allowedHost!.toLowerCase();
    return wildcard ? host.endsWith(`.${base}`) && host.length > base.length + 1 : host === base;
  });
}

/** Throws {@link DisallowedUrlError} (naming only the origin, never the signed path) unless the URL is allowed. */
export function assertAllowedMediaUrl(url: string, allowedOrigins: readonly string[], field = 'url'): void {
  if (!isAllowedMediaUrl(url, allowedOrigins)) {
    let origin = '<invalid url>';
    try {
      origin = new URL(url).origin;
    } catch {
      /* keep placeholder */
    }
    throw new DisallowedUrlError(`${field} origin ${origin} is not in ACS_MEDIA_ALLOWED_ORIGINS`);
  }
}
