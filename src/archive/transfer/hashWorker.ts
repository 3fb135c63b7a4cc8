// Worker-thread entry of HashThread: hashes one block per message, off the event loop of the process that moves the
// bytes. The block arrives as a view of shared memory (no copy); the running whole-file MD5 arrives as its exported
// state, so the thread keeps nothing between messages and any number of transfers can share it.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { describeError } from '../../shared/errors.js';
import { Md5 } from './Md5.js';

/** One block to hash (see HashThread.hash). */
export interface HashWorkerRequest {
  id: number;
  /** Running MD5 state before the block, and the bytes it covers (a multiple of 64). */
  state: Uint8Array;
  length: number;
  data: Uint8Array;
  /** The last block of the file: reply with the final digest instead of the state. */
  final: boolean;
}

export type HashWorkerReply =
  | { id: number; state: Uint8Array; contentMd5: Uint8Array }
  | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('hashWorker.ts runs as a worker thread only');
port.on('message', (m: HashWorkerRequest) => {
  let reply: HashWorkerReply;
  try {
    const md5 = Md5.fromState(m.state, m.length).update(m.data);
    reply = { id: m.id, state: m.final ? md5.digest() : md5.exportState(), contentMd5: createHash('md5').update(m.data).digest() };
  } catch (e) {
    reply = { id: m.id, error: describeError(e) };
  }
  port.postMessage(reply);
});
