// GET /api/console and /api/console/{file} — the operator console: one page and its hashed assets, anonymous (the page
// carries no data; every call it makes is to the control API with the function key). Off with CONSOLE_ENABLED=false.
// See src/console/consoleResponses.ts.
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { consoleAsset, consolePage } from '../console/consoleResponses.js';

export function handleConsolePage(): HttpResponseInit {
  return consolePage();
}

export function handleConsoleAsset(request: HttpRequest): Promise<HttpResponseInit> {
  return consoleAsset(request.params.file ?? '');
}

app.http('consolePage', { route: 'console', methods: ['GET'], authLevel: 'anonymous', handler: handleConsolePage });
app.http('consoleAsset', { route: 'console/{file}', methods: ['GET'], authLevel: 'anonymous', handler: handleConsoleAsset });
