// Installs the stand-in for the host-injected `@azure/functions-core` (fake-functions-core.cjs): routes the bare
// specifier to it before `@azure/functions` loads. `@azure/functions` is CommonJS (externalized by vitest, plain
// require under tsx), so its require() goes through Node's resolver. Imported first by vitest (setupFiles, once per
// test file: it also forgets the previous file's registrations) and by the embedded local host.
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fakeCore = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-functions-core.cjs');
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === '@azure/functions-core' ? fakeCore : original.call(this, request, ...rest);
};
(createRequire(import.meta.url)(fakeCore) as { reset(): void }).reset();
