// The allow-list that keeps signed requests from ever leaving for a foreign host (SSRF / credential exfiltration).
// Entries are `scheme://host[:port]`; a host may start with `*.` to match any subdomain (not the bare domain).
import { DisallowedUrlError } from './errors.js';

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/** An allow-list entry, parsed. */
export interface AllowedOrigin {
  scheme: 'http' | 'https';
  /** Lower-case host without the `*.` prefix. */
  host: string;
  /** `*.host`: any subdomain of `host`, not `host` itself. */
  wildcard: boolean;
  port?: string;
}

/** The one definition of an entry's format: `scheme://[*.]host[:port]`; undefined when `entry` is not one. */
export function parseAllowedOrigin(entry: string): AllowedOrigin | undefined {
  const m = /^(https?):\/\/(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
  if (!m) return undefined;
  const origin: AllowedOrigin = { scheme: m[1]!.toLowerCase() as AllowedOrigin['scheme'], host: m[3]!.toLowerCase(), wildcard: m[2] !== undefined };
  if (m[4] !== undefined) origin.port = m[4];
  return origin;
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
  return allowedOrigins.some((entry) => {
    const allowed = parseAllowedOrigin(entry);
    if (!allowed || `${allowed.scheme}:` !== u.protocol) return false;
    if ((allowed.port ?? defaultPort(u.protocol)) !== port) return false;
    return allowed.wildcard ? host.endsWith(`.${allowed.host}`) && host.length > allowed.host.length + 1 : host === allowed.host;
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
