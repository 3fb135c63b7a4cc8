// Maps a raw request-target to the operation it addresses (pure; no state lookups).
//   POST   /calling/recordings                       startRecording
//   GET    /calling/recordings/{id}                  getRecording
//   DELETE /calling/recordings/{id}                  stopRecording
//   POST   /calling/recordings/{id}:pause|:resume    pauseRecording / resumeRecording   (suffix in the last segment)
//   GET    /calling/.well-known/acsopenidconfiguration, /calling/keys                    openid / jwks (anonymous)
//   GET    {prefix}/v1/objects/{doc}/content/{kind}  downloadContent / downloadMetadata (kind acsmetadata)
//   DELETE {prefix}/v1/objects/{doc}                 deleteRecording   (also …/content/deletedata)
//   *      /emulator/v1/…                            control (the emulator's remote control, HMAC; not ACS)
import { CONTROL_PREFIX } from '../control/controlRoutes.js';
import type { ErrorSurface } from '../errors/acsErrors.js';
import type { EmulatorOperation } from '../types.js';

export interface Route {
  operation: EmulatorOperation;
  surface: ErrorSurface;
  /** `hmac` operations must carry a valid signature; `anonymous` ones are public. */
  auth: 'hmac' | 'anonymous';
  /** How the client signed the path: the raw target (`/calling/*`) or only the pathname (media, §3.2). */
  signedPath: 'target' | 'pathname';
  /** Decoded recording id (recording operations). */
  recordingId?: string;
  documentId?: string;
  /** Last path segment of a content URL: `audio`, `video`, `acsmetadata`. */
  contentKind?: string;
  /** Set when the path exists but the method does not. */
  methodNotAllowed?: boolean;
  /** Set when the path could not be decoded. */
  malformed?: boolean;
}

export interface ParsedTarget {
  pathname: string;
  query: URLSearchParams;
}

export function parseTarget(rawTarget: string): ParsedTarget {
  const q = rawTarget.indexOf('?');
  return q < 0 ? { pathname: rawTarget, query: new URLSearchParams() } : { pathname: rawTarget.slice(0, q), query: new URLSearchParams(rawTarget.slice(q + 1)) };
}

const calling = (operation: EmulatorOperation, extra: Partial<Route> = {}): Route => ({ operation, surface: 'calling', auth: 'hmac', signedPath: 'target', ...extra });
const media = (operation: EmulatorOperation, extra: Partial<Route> = {}): Route => ({ operation, surface: 'media', auth: 'hmac', signedPath: 'pathname', ...extra });
const unknown = (surface: ErrorSurface, extra: Partial<Route> = {}): Route => ({ operation: 'unknown', surface, auth: 'anonymous', signedPath: 'target', ...extra });

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** @param mediaPathPrefix base path of `mediaOrigin` ('' when the origin has no path), without trailing slash. */
export function resolveRoute(method: string, pathname: string, mediaPathPrefix: string): Route {
  if (pathname.startsWith(CONTROL_PREFIX)) return calling('control');
  if (pathname === '/calling/recordings') return method === 'POST' ? calling('startRecording') : unknown('calling', { methodNotAllowed: true });
  if (pathname.startsWith('/calling/recordings/')) {
    const segment = pathname.slice('/calling/recordings/'.length);
    if (segment.includes('/') || segment === '') return unknown('calling');
    const decoded = decode(segment);
    if (decoded === undefined) return unknown('calling', { malformed: true });
    if (method === 'GET') return calling('getRecording', { recordingId: decoded });
    if (method === 'DELETE') return calling('stopRecording', { recordingId: decoded });
    if (method === 'POST') {
      const colon = decoded.lastIndexOf(':');
      const action = colon < 0 ? '' : decoded.slice(colon + 1);
      const recordingId = decoded.slice(0, colon);
      if (action === 'pause') return calling('pauseRecording', { recordingId });
      if (action === 'resume') return calling('resumeRecording', { recordingId });
    }
    return unknown('calling', { methodNotAllowed: true });
  }
  if (pathname === '/calling/.well-known/acsopenidconfiguration') {
    return method === 'GET' ? { ...unknown('calling'), operation: 'openid' } : unknown('calling', { methodNotAllowed: true });
  }
  if (pathname === '/calling/keys') return method === 'GET' ? { ...unknown('calling'), operation: 'jwks' } : unknown('calling', { methodNotAllowed: true });

  const local = mediaPathPrefix && pathname.startsWith(`${mediaPathPrefix}/`) ? pathname.slice(mediaPathPrefix.length) : pathname;
  const m = /^\/v1\/objects\/([^/]+)(?:\/content\/([^/]+))?$/.exec(local);
  if (m) {
    const documentId = decode(m[1]!);
    const kind = m[2] === undefined ? undefined : decode(m[2]);
    if (documentId === undefined || (m[2] !== undefined && kind === undefined)) return unknown('media', { malformed: true });
    if (method === 'GET' && kind !== undefined && kind !== 'deletedata') {
      return media(kind === 'acsmetadata' ? 'downloadMetadata' : 'downloadContent', { documentId, contentKind: kind });
    }
    if (method === 'DELETE' && (kind === undefined || kind === 'deletedata')) return media('deleteRecording', { documentId });
    return unknown('media', { methodNotAllowed: true, documentId });
  }
  return unknown(pathname.startsWith('/v1/') ? 'media' : 'calling');
}
