// Routes requests for a production-looking origin (e.g. https://eus.storage.asm.skype.com) to the loopback emulator,
// leaving the Host header (set by the client for the storage host) untouched — so the client under test keeps its
// production allow-list and signing, and only the socket goes to 127.0.0.1.
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

export function loopbackRoutingHttpClient(fromOrigin: string, toOrigin: string): HttpClient {
  const inner = createDefaultHttpClient();
  const target = new URL(toOrigin);
  if (target.hostname !== '127.0.0.1') throw new Error(`refusing to route anywhere but 127.0.0.1, got ${toOrigin}`);
  return {
    async sendRequest(request) {
      const url = new URL(request.url);
      if (url.origin !== fromOrigin) return inner.sendRequest(request);
      const original = { url: request.url, allowInsecureConnection: request.allowInsecureConnection };
      request.url = `${target.origin}${url.pathname}${url.search}`;
      request.allowInsecureConnection = true;
      try {
        return await inner.sendRequest(request);
      } finally {
        Object.assign(request, original);
      }
    },
  };
}
