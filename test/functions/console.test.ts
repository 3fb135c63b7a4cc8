// GET /api/console and /api/console/{file} through the REAL registered functions: the built page with its headers
// (strict CSP naming the configured archive blob origin, no framing, no referrer, no-store), its hashed assets
// (immutable), 404 for anything else, and 404 for everything with CONSOLE_ENABLED=false.
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConsoleBuild, consoleDir } from '../../src/console/consoleFiles.js';
import { invokeHttp, triggerBinding } from '../../tools/local/host/functionsHost.js';
import { buildConsole } from '../../tools/console/build.js';
import { applyEnv } from '../support/env.js';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

beforeAll(async () => {
  if (!existsSync(`${consoleDir()}/manifest.json`)) await buildConsole();
  await import('../../src/functions/console.js');
});

const page = () => invokeHttp('consolePage', { method: 'GET', url: 'http://localhost:7071/api/console' });
const asset = (file: string) => invokeHttp('consoleAsset', { method: 'GET', url: `http://localhost:7071/api/console/${file}`, params: { file } });

const CSP = (origin: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' ${origin}; connect-src 'self' ${origin}; ` +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

describe('GET /api/console', () => {
  it('is anonymous: the page carries no data', () => {
    expect(triggerBinding('consolePage')).toMatchObject({ route: 'console', methods: ['GET'], authLevel: 'anonymous' });
    expect(triggerBinding('consoleAsset')).toMatchObject({ route: 'console/{file}', methods: ['GET'], authLevel: 'anonymous' });
  });

  it('serves the page with a strict CSP allowing only the archive account blob origin (identity settings)', async () => {
    restore = applyEnv({ ARCHIVE_STORAGE: undefined, ARCHIVE_STORAGE__blobServiceUri: 'https://starchive.blob.core.windows.net/', ARCHIVE_STORAGE__clientId: 'c1', CONSOLE_ENABLED: undefined });
    const res = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CSP('https://starchive.blob.core.windows.net'));
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const build = readConsoleBuild()!;
    const scripts = [...res.text.matchAll(/<script[^>]*src="console\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(build.assets).toContain(scripts[0]);
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(res.text).not.toMatch(/\sstyle=/);
  });

  it('derives the blob origin from a connection string (Azurite)', async () => {
    const cs = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=S2V5;BlobEndpoint=http://127.0.0.1:10999/devstoreaccount1;';
    restore = applyEnv({ ARCHIVE_STORAGE: cs });
    expect((await page()).headers.get('content-security-policy')).toBe(CSP('http://127.0.0.1:10999'));
  });

  it('serves each hashed asset immutable with its type; anything else is 404', async () => {
    restore = applyEnv({ CONSOLE_ENABLED: 'true' });
    const build = readConsoleBuild()!;
    const script = build.assets.find((a) => a.endsWith('.js'))!;
    const css = build.assets.find((a) => a.endsWith('.css'))!;
    const js = await asset(script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await asset(css)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const bad of ['index.html', 'manifest.json', '..%2Fmanifest.json', '../../package.json', 'main-NOTBUILT.js', '.hidden.js']) {
      const res = await asset(bad);
      expect(res.status, bad).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 404 for the page and its assets with CONSOLE_ENABLED=false', async () => {
    restore = applyEnv({ CONSOLE_ENABLED: 'false' });
    const res = await page();
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NotFound', message: 'The console is turned off (CONSOLE_ENABLED=false)' } });
    expect((await asset(readConsoleBuild()!.assets[0]!)).status).toBe(404);
  });
});
