// vitest globalSetup for the browser tests (test/browser): finds Debian's Chromium (or CHROMIUM_PATH) and hands its
// path to the tests via inject ('' when missing: under `npm test` they then skip, after one line saying how to install
// it; `npm run test:browser` requires it), and builds the console into dist/console (esbuild: well under a second),
// so the tests never run a stale build of web/console.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildConsole } from '../../../tools/console/build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

export async function setup(project: TestProject): Promise<void> {
  const chromium = findChromium();
  if (!chromium) {
    if (process.env.BROWSER_TESTS === 'required') throw new Error('Chromium not found: install it with `apt-get install chromium` (or set CHROMIUM_PATH)');
    process.stdout.write('Browser tests skipped: Chromium not found (install it with `apt-get install chromium`, or set CHROMIUM_PATH).\n');
  }
  await buildConsole(path.join(root, 'dist', 'console'));
  project.provide('chromiumPath', chromium ?? '');
}
