// A loopback webhook receiver for the emulator's callbacks and Event Grid deliveries.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookSink {
  url: string;
  received: ReceivedWebhook[];
  /** Status answered to every POST (default 200). */
  status: number;
  /** Resolves with the first (already received or future) webhook matching `predicate`. */
  waitFor(predicate: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const waiters: { predicate: (w: ReceivedWebhook) => boolean; resolve: (w: ReceivedWebhook) => void }[] = [];
  const sink: WebhookSink = {
    url: '',
    received: [],
    status: 200,
    waitFor(predicate, timeoutMs = 5_000) {
      const found = sink.received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('webhook not received in time')), timeoutMs);
        waiters.push({ predicate, resolve: (w) => (clearTimeout(timer), resolve(w)) });
      });
    },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const w: ReceivedWebhook = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      sink.received.push(w);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(w)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(w);
        }
      }
      res.writeHead(sink.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}
