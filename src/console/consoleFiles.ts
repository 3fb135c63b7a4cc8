// The built console (esbuild output of web/console, see tools/console/build.ts): found in `dist/console` of the app
// root, the folder holding package.json — from dist/src/console/*.js in the deployed package, and from
// src/console/*.ts under the tests. Its manifest.json lists every asset the page may load; nothing else is served.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleBuild {
  dir: string;
  /** The page, with its hashed asset names filled in. */
  html: string;
  /** Hashed file names of the assets (script, stylesheet, source maps). */
  assets: string[];
}

/** The app root: the nearest folder above this module that holds package.json. */
export function appRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

export function consoleDir(): string {
  return path.join(appRoot(), 'dist', 'console');
}

/** Reads the build; undefined when it was not built (`npm run build` builds it). Read on each call: files are small. */
export function readConsoleBuild(dir: string = consoleDir()): ConsoleBuild | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { assets?: unknown };
    const assets = Array.isArray(manifest.assets) ? manifest.assets.filter((a): a is string => typeof a === 'string') : [];
    return { dir, html: readFileSync(path.join(dir, 'index.html'), 'utf8'), assets };
  } catch {
    return undefined;
  }
}
