// A loopback HTTP proxy in front of a real Blob Storage (Azurite), for tests and benchmarks that need the network
// between the app and its storage to misbehave without a mock of the storage API. It forwards requests and responses
// byte for byte and can, on request:
// - be switched into an outage: while "down" it answers every request with 503 ServerBusy (as a storage front end does
//   when overloaded or failing over) without forwarding it (the archive's retry-deadline tests);
// - pass each request body at most `requestBytesPerSecond` and hold every response head back by `responseDelayMs`:
//   each upload connection then has a bandwidth and each request a round trip, as against a real account; loopback
//   has neither (the benchmark's limited scenarios).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { throttleStream } from '../acs-emulator/faults/throttleStream.js';

export interface StorageProxyOptions {
  /** Where to forward: an `http://host:port` origin, or a function read at each request (a target that restarts on another port). */
  target: string | (() => string);
  /** Pass each request body at most this fast (bytes per second); unlimited when absent. */
  requestBytesPerSecond?: number;
  /** Hold every response head back this long (ms). */
  responseDelayMs?: number;
}

export interface StorageProxy {
  /** Base URL of the proxy (`http://127.0.0.1:<port>`); the target's path is kept as is. */
  readonly url: string;
  /** Requests received, and how many of them were refused (503) during an outage. */
  readonly stats: { received: number; refused: number };
  /** Start an outage: every request gets `status` (default 503) until {@link up}. */
  down(status?: number): void;
  up(): void;
  readonly isDown: boolean;
  close(): Promise<void>;
}

export async function startStorageProxy(options: StorageProxyOptions): Promise<StorageProxy> {
  const targetOf = typeof options.target === 'string' ? () => options.target as string : options.target;
  const { requestBytesPerSecond, responseDelayMs = 0 } = options;
  const agent = new http.Agent({ keepAlive: true });
  let outage: number | undefined;
  const stats = { received: 0, refused: 0 };
  const server = http.createServer((req, res) => {
    stats.received++;
    if (outage !== undefined) {
      stats.refused++;
      req.resume();
      const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The proxy simulates an outage.</Message></Error>`;
      res.writeHead(outage, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-ms-error-code': 'ServerBusy' }).end(body);
      return;
    }
    const upstream = new URL(targetOf());
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      const answerHead = () => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      };
      if (responseDelayMs > 0) setTimeout(answerHead, responseDelayMs);
      else answerHead();
    });
    forward.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502).end(String(e));
      else res.destroy(e);
    });
    (requestBytesPerSecond === undefined ? req : req.pipe(throttleStream(requestBytesPerSecond))).pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    down: (status = 503) => {
      outage = status;
    },
    up: () => {
      outage = undefined;
    },
    get isDown() {
      return outage !== undefined;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}

/** `connectionString` (Azurite's) with its BlobEndpoint routed through `proxy`. */
export function blobEndpointThrough(connectionString: string, proxy: Pick<StorageProxy, 'url'>): string {
  return connectionString.replace(/BlobEndpoint=http:\/\/[^/;]+/i, `BlobEndpoint=${proxy.url}`);
}
