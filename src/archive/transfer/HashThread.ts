// One worker thread per process that hashes blocks for every transfer, so the two MD5 passes over each byte (the
// running whole-file MD5 in TypeScript, the block's own MD5 for transactionalContentMD5) run beside the event loop
// that moves the bytes instead of on it. The blocks are shared memory (see BufferPool), so nothing is copied; the
// thread holds no state between blocks. It starts on first use and never keeps the process alive while idle.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HashWorkerReply, HashWorkerRequest } from './hashWorker.js';
import { Md5 } from './Md5.js';

/** What {@link HashThread.hash} needs for one block. */
export interface ThreadHashRequest {
  /** Running MD5 state before the block (16 bytes) and the bytes it covers (a multiple of 64). */
  state: Buffer;
  length: number;
  /** The block; must be backed by a SharedArrayBuffer (the thread reads it in place). */
  data: Buffer;
  /** The last block of the file: `state` of the result is the file's MD5. */
  final: boolean;
}

export interface ThreadHashResult {
  /** Running MD5 state after the block, or the final digest for the last block. */
  state: Buffer;
  /** MD5 of the block alone. */
  contentMd5: Buffer;
}

/** The hash thread died or could not run the request; the transfer fails (and resumes on its next call). */
export class HashThreadError extends Error {
  override readonly name = 'HashThreadError';
}

interface Entry {
  filename: string | URL;
  eval: boolean;
}

/**
 * Where the worker's code is: the compiled `hashWorker.js` next to this module (the built app), or, in a source
 * checkout (tests, `tsx` tools), `hashWorker.ts` run through tsx's loader (a devDependency). Undefined when neither
 * can run: the transfers then hash on the event loop.
 */
function workerEntry(): Entry | undefined {
  const compiled = new URL('./hashWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { filename: compiled, eval: false };
  const source = new URL('./hashWorker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) return undefined;
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return undefined;
  }
  // A worker does not inherit the parent's module hooks: register tsx's in the thread, then load the entry.
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return { filename: code, eval: true };
}

export class HashThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (r: ThreadHashResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Blocks hashed by the thread since the process started (observability, tests). */
  blocksHashed = 0;

  constructor(private readonly entry: Entry) {}

  /** Hashes one block in the thread. Requests of different transfers may interleave; each carries its own state. */
  hash(request: ThreadHashRequest): Promise<ThreadHashResult> {
    if (!(request.data.buffer instanceof SharedArrayBuffer)) {
      return Promise.reject(new TypeError('HashThread.hash needs a block in shared memory'));
    }
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<ThreadHashResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keep the process alive while a block is being hashed, not while the thread idles.
      if (this.pending.size === 1) worker.ref();
      const message: HashWorkerRequest = { id, state: request.state, length: request.length, data: request.data, final: request.final };
      worker.postMessage(message);
    });
  }

  /**
   * Starts the thread now rather than with the first block (a process-level cost, like loading modules): for a host
   * that wants its first transfer to run at full speed, and for benchmarks that time transfers, not process start.
   */
  async warmUp(): Promise<void> {
    const data = Buffer.from(new SharedArrayBuffer(64));
    await this.hash({ state: new Md5().exportState(), length: 0, data, final: true });
  }

  /** Stops the thread (the next request starts a new one); pending requests fail. For tests and shutdown. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, new HashThreadError('hash thread terminated'));
    await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.entry.filename, { eval: this.entry.eval, name: 'archive-hash' });
    worker.unref();
    worker.on('message', (reply: HashWorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) {
        waiter.reject(new HashThreadError(`hash thread failed: ${reply.error}`));
        return;
      }
      this.blocksHashed++;
      waiter.resolve({ state: Buffer.from(reply.state), contentMd5: Buffer.from(reply.contentMd5) });
    });
    worker.on('error', (e) => this.fail(worker, new HashThreadError(`hash thread crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => this.fail(worker, new HashThreadError(`hash thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Forgets `worker` (the next request starts another) and fails what it had not answered. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

let shared: HashThread | null | undefined;

/** The process's hash thread, or undefined when no worker code can run here (see {@link workerEntry}). */
export function sharedHashThread(): HashThread | undefined {
  if (shared === undefined) {
    const entry = workerEntry();
    shared = entry ? new HashThread(entry) : null;
  }
  return shared ?? undefined;
}
