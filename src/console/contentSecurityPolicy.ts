// The console page's Content-Security-Policy: nothing inline, nothing from elsewhere, except the archive storage's
// blob origin for media (the players' src is a SAS URL of an archived blob) — derived from the configured archive
// storage, never `*`.

/** The CSP of the console page; `blobOrigin` (e.g. https://starchive.blob.core.windows.net) is allowed for media. */
export function contentSecurityPolicy(blobOrigin?: string): string {
  const storage = blobOrigin ? ` ${blobOrigin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `media-src 'self'${storage}`,
    `connect-src 'self'${storage}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The origin (scheme://host[:port]) of a blob service or container URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}
