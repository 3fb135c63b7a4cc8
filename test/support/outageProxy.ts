// A loopback HTTP proxy in front of a real service (Azurite in the tests) that can be switched into an outage: while
// "down" it answers every request with 503 (as a storage front end does when overloaded or failing over) without
// forwarding it; otherwise it forwards requests and responses byte for byte. Lets a test put the archive's Blob
// Storage down for a while and back up, against the real service — no mock of the storage API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutageProxy {
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

/** A proxy forwarding to `target` (an `http://host:port` origin). */
export async function startOutageProxy(target: string): Promise<OutageProxy> {
  const upstream = new URL(target);
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
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502).end(String(e));
      else res.destroy(e);
    });
    req.pipe(forward);
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
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** `connectionString` (Azurite's) with its BlobEndpoint routed through `proxy`. */
export function blobEndpointThrough(connectionString: string, proxy: OutageProxy): string {
  return connectionString.replace(/BlobEndpoint=http:\/\/[^/;]+/i, `BlobEndpoint=${proxy.url}`);
}
