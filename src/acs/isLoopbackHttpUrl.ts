// Plain http is only ever allowed towards this machine (the local ACS emulator); everything else must be https.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for `http://127.0.0.1…`, `http://localhost…` and `http://[::1]…`. */
export function isLoopbackHttpUrl(url: string | URL): boolean {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname.toLowerCase());
}
