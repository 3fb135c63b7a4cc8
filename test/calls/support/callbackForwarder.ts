// A loopback HTTP front for the registered callback function: what the Functions host is for ACS. The emulator's
// RecordingStateChanged deliveries (to PUBLIC_BASE_URL/api/callbacks/call-automation) reach the real handler
// through it, exactly as `invokeHttp` would call it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeHttp } from '../../../tools/local/host/functionsHost.js';

export interface CallbackForwarder {
  /** `http://127.0.0.1:<port>`: use as PUBLIC_BASE_URL. */
  baseUrl: string;
  /** Status of every forwarded callback, in order. */
  statuses: number[];
  close(): Promise<void>;
}

export async function startCallbackForwarder(): Promise<CallbackForwarder> {
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      invokeHttp('callAutomationCallback', {
        method: req.method ?? 'POST',
        url: `http://${req.headers.host}${req.url}`,
        headers,
        body: { string: Buffer.concat(chunks).toString('utf8') },
      }).then(
        (r) => {
          statuses.push(r.status);
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.text);
        },
        (e: unknown) => {
          statuses.push(599);
          res.writeHead(500).end(String(e));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    statuses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
