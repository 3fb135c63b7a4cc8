// The in-process host's optional function-key check (`functionKeys`): authLevel function routes need a key as
// `x-functions-key` or `?code=` (else 401, as the Functions host answers), anonymous routes do not, and without the
// option nothing is checked (as under `func start`).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDurableApi, type FakeDurableApi } from '../../../../tools/local/host/durableClientApi.js';
import { startInProcessHost, type InProcessHost } from '../../../../tools/local/host/inProcessHost.js';

let durable: FakeDurableApi | undefined;
let host: InProcessHost | undefined;

beforeAll(async () => {
  // An authLevel function route that needs no settings (400 on an invalid id) and an anonymous one (the console).
  await import('../../../../src/functions/recordingsChunkDownload.js');
  await import('../../../../src/functions/console.js');
});

afterEach(async () => {
  await host?.close();
  await durable?.close();
  host = undefined;
});

async function start(functionKeys?: string[]): Promise<string> {
  durable = await startFakeDurableApi();
  host = await startInProcessHost(durable, functionKeys ? { functionKeys } : {});
  return host.baseUrl;
}

const BAD_ID_ROUTE = '/api/recordings/abc+/chunks/0/media';

describe('in-process host functionKeys', () => {
  it('answers 401 without a valid key on authLevel function routes, and runs the function with one (header or ?code=)', async () => {
    const base = await start(['k1', 'k2']);
    expect((await fetch(`${base}${BAD_ID_ROUTE}`)).status).toBe(401);
    expect((await fetch(`${base}${BAD_ID_ROUTE}`, { headers: { 'x-functions-key': 'nope' } })).status).toBe(401);
    expect((await fetch(`${base}${BAD_ID_ROUTE}?code=nope`)).status).toBe(401);
    expect((await fetch(`${base}${BAD_ID_ROUTE}`, { headers: { 'x-functions-key': 'k2' } })).status).toBe(400);
    expect((await fetch(`${base}${BAD_ID_ROUTE}?code=k1`)).status).toBe(400);
    // Anonymous routes are served without a key.
    expect((await fetch(`${base}/api/console/nothing.js`)).status).toBe(404);
  });

  it('checks nothing by default', async () => {
    const base = await start();
    expect((await fetch(`${base}${BAD_ID_ROUTE}`)).status).toBe(400);
  });
});
