// What GET /api/console and /api/console/{file} answer: the page (no-store, strict CSP), its hashed assets
// (immutable for a year), or 404 — also for everything when CONSOLE_ENABLED=false. Every answer carries the headers
// that keep the page out of frames and its URLs out of Referer headers.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { HttpResponseInit } from '@azure/functions';
import { archiveContainerClient } from '../archive/archiveContainerClient.js';
import { getConfig } from '../config.js';
import { toApiResponse } from '../calls/toApiResponse.js';
import { NotFoundError } from '../shared/errors.js';
import { silentLogger } from '../shared/logging.js';
import { contentSecurityPolicy, originOf } from './contentSecurityPolicy.js';
import { readConsoleBuild, type ConsoleBuild } from './consoleFiles.js';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function securityHeaders(): Record<string, string> {
  return { 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };
}

function notFound(message: string): HttpResponseInit {
  const res = toApiResponse(new NotFoundError(message), silentLogger);
  return { ...res, headers: { ...securityHeaders(), 'Cache-Control': 'no-store' } };
}

/** The archive storage's blob origin, when archive storage is configured. */
function archiveBlobOrigin(): string | undefined {
  try {
    return originOf(archiveContainerClient.get().url);
  } catch {
    return undefined;
  }
}

export interface ConsoleServeOptions {
  /** The build to serve (default: dist/console of the app root). */
  build?: ConsoleBuild | undefined;
}

function enabledBuild(options: ConsoleServeOptions): ConsoleBuild | HttpResponseInit {
  if (!getConfig().consoleEnabled) return notFound('The console is turned off (CONSOLE_ENABLED=false)');
  const build = options.build ?? readConsoleBuild();
  if (!build) return notFound('The console is not built: run `npm run build`');
  return build;
}

export function consolePage(options: ConsoleServeOptions = {}): HttpResponseInit {
  const build = enabledBuild(options);
  if (!('html' in build)) return build;
  return {
    status: 200,
    body: build.html,
    headers: {
      ...securityHeaders(),
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(archiveBlobOrigin()),
      'Cache-Control': 'no-store',
    },
  };
}

export async function consoleAsset(name: string, options: ConsoleServeOptions = {}): Promise<HttpResponseInit> {
  const build = enabledBuild(options);
  if (!('html' in build)) return build;
  const type = CONTENT_TYPES[path.extname(name)];
  if (!SAFE_NAME.test(name) || !type || !build.assets.includes(name)) return notFound('No such console asset');
  const body = await readFile(path.join(build.dir, name));
  return {
    status: 200,
    body,
    headers: {
      ...securityHeaders(),
      'Content-Type': type,
      // Hashed names: a new build gets new names, so a name's content never changes.
      'Cache-Control': 'public, max-age=31536000, immutable',
    },
  };
}
