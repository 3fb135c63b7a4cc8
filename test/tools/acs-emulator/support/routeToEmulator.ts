// An HttpClient for the official Call Automation SDK: everything it sends to `*.asm.skype.com` (recording storage)
// goes to the emulator on loopback instead; the request is otherwise untouched (same path, query and headers).
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';

export function routeToEmulator(port: number): HttpClient & { routed: string[] } {
  const inner = createDefaultHttpClient();
  const routed: string[] = [];
  return {
    routed,
    sendRequest(request) {
      const u = new URL(request.url);
      if (u.hostname.endsWith('.asm.skype.com')) {
        routed.push(request.url);
        request.url = `http://127.0.0.1:${port}${u.pathname}${u.search}`;
      }
      if (new URL(request.url).hostname !== '127.0.0.1') throw new Error(`test refused to send to ${u.host}`);
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
}
