// Starts Azurite (the npm package) as a child process on loopback and waits until its ports accept connections.
// Used by the test run (free ports, in memory) and by `npm start` (default ports, data on disk).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

export interface AzuriteOptions {
  /** Keep data in memory only (tests). Otherwise data goes to `location`. */
  inMemory?: boolean;
  location?: string;
  /** Fixed ports; 0 or absent picks free ones. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
}

export interface AzuriteHandle {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  connectionString: string;
  /** The Azurite process (it is spawned directly, not through a shell or npx). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const ACCOUNT = 'devstoreaccount1';
// Azurite's well-known development key (public, documented; not a secret).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(blobPort: number, queuePort: number, tablePort: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${tablePort}/${ACCOUNT}`,
  ].join(';') + ';';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before listening on ${port}`);
    if (await isPortOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const blobPort = options.blobPort || (await freePort());
  const queuePort = options.queuePort || (await freePort());
  const tablePort = options.tablePort || (await freePort());
  const require = createRequire(import.meta.url);
  const entry = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const args = [
    entry,
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    '--skipApiVersionCheck', '--silent', '--disableTelemetry',
  ];
  if (options.inMemory) args.push('--inMemoryPersistence');
  else args.push('--location', options.location ?? '.azurite');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await Promise.all([blobPort, queuePort, tablePort].map((p) => waitForPort(p, child, 30_000)));
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return {
    blobPort, queuePort, tablePort,
    connectionString: azuriteConnectionString(blobPort, queuePort, tablePort),
    pid: child.pid,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }),
  };
}
