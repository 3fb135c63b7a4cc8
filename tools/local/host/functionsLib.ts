// The classes of `@azure/functions` as values, in vitest and in plain Node ESM alike. The package is CommonJS, and
// Node's ESM loader exposes only the names it can detect statically (`app` yes, `HttpRequest` no); the rest live on
// the default export. Benchmarks and tools run these supports under plain Node (tsx), not only under vitest.
import * as azureFunctions from '@azure/functions';

const lib = (azureFunctions as unknown as { default?: typeof azureFunctions }).default ?? azureFunctions;

export const HttpRequest = lib.HttpRequest;
export const HttpResponse = lib.HttpResponse;
export const InvocationContext = lib.InvocationContext;
export type HttpRequest = azureFunctions.HttpRequest;
export type HttpResponse = azureFunctions.HttpResponse;
export type InvocationContext = azureFunctions.InvocationContext;
