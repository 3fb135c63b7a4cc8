// vitest setupFiles: route the bare specifier `@azure/functions-core` to the fake before `@azure/functions` loads.
// `@azure/functions` is CommonJS and externalized by vitest, so its require() goes through Node's resolver.
import Module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fakeCore = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-functions-core.cjs');
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === '@azure/functions-core' ? fakeCore : original.call(this, request, ...rest);
};
