// Reads byte ranges of a RangeSource exactly once into a sink, resuming by offset when an open or the stream fails.
// Every response is checked: it must start at (or, when the server ignored Range, before) the requested offset and
// report the same total size as the first one; bytes beyond the total are a verification failure.
// This is the ONE owner of quick retries of a source read (the ACS media client's downloads do not retry on their
// own): a failed open and a broken body both spend one resume, so one call sends at most 1 + maxResumes failed
// requests per file. What is worth a resume is the app's failure model (src/shared/failureModel.ts).
// A layer of its own because both read strategies (readBlocks.ts: one stream, or parallel ranges) need the same
// resume, response checks and idle timeout; it hides from them whether a range took one response or five.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../shared/logging.js';
import { backoffDelayMs } from '../../shared/backoffDelayMs.js';
import { classifyFailure, isQuickRetryable } from '../../shared/failureModel.js';
import { isContentProofError, TransferVerificationError } from './errors.js';
import type { ProofResponseHead } from './ContentProof.js';
import type { RangeSource, RangeSourceResponse } from './RangeSource.js';
import { describeError, statusCodeOf } from '../../shared/errors.js';
import { recordRetry } from '../../shared/telemetry.js';
import { abortReason } from '../../shared/abort.js';

const TRANSFER_ABORTED = 'The transfer was aborted.';

export interface SourceReaderOptions {
  /** Resumes (failed opens, broken or truncated streams) allowed for the whole call. */
  maxResumes: number;
  /** First backoff delay; doubles per resume, with jitter. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** A body that delivers nothing for this long is abandoned and resumed. */
  idleTimeoutMs: number;
  abortSignal: AbortSignal;
  logger: Logger;
  /** The total the staged prefix was cut from: a source reporting another size raises {@link StaleStagedPrefixError}. */
  expectedTotalSize?: number;
  /** Checks every accepted response's head (Content-Type, total size); what it throws is not resumed. */
  checkResponse?: (head: ProofResponseHead) => void;
}

/** The source's size differs from the size the staged prefix was cut from: the prefix belongs to other content. */
export class StaleStagedPrefixError extends Error {
  override readonly name = 'StaleStagedPrefixError';
}

/** The body ended before the requested range was complete (transient: resumed from where it stopped). */
export class SourceTruncatedError extends Error {
  override readonly name = 'SourceTruncatedError';
}

/** The body delivered nothing for `idleTimeoutMs` (transient). */
export class SourceStalledError extends Error {
  override readonly name = 'SourceStalledError';
}

/** Wraps an error thrown by the sink, so it is not mistaken for a source failure. */
class SinkError extends Error {}

function destroy(body: NodeJS.ReadableStream, error?: Error): void {
  (body as { destroy?: (e?: Error) => void }).destroy?.(error);
}

export class SourceReader {
  /** The source's size, known after the first accepted response. */
  totalSize?: number;
  /** Resumes used so far. */
  resumes = 0;

  constructor(
    private readonly source: RangeSource,
    private readonly options: SourceReaderOptions,
  ) {}

  /**
   * Streams bytes [offset, end) — or to the end of the source when `end` is undefined — into `sink`, chunk by chunk,
   * in order, each byte once. `sink` applies backpressure by returning a promise.
   */
  async readRange(offset: number, end: number | undefined, sink: (chunk: Buffer) => Promise<void> | void): Promise<void> {
    const cursor = { pos: offset };
    for (;;) {
      const pos = cursor.pos;
      if (this.totalSize !== undefined && pos >= this.targetOf(end)) return;
      let response: RangeSourceResponse;
      try {
        response = await this.open(pos, end);
      } catch (e) {
        await this.recover(e, pos);
        continue;
      }
      const target = this.targetOf(end);
      let readFromResponse = 0;
      try {
        await this.pump(response, cursor, target, (n) => (readFromResponse += n), sink);
      } catch (e) {
        if (e instanceof SinkError) throw e.cause;
        await this.recover(e, cursor.pos);
        continue;
      }
      if (cursor.pos >= target) return;
      // The body ended early. A server may legitimately send a shorter range than asked (it said so in
      // Content-Length): continue from there without spending a resume. Anything else is a truncated body.
      const planned = response.contentLength !== undefined && readFromResponse === response.contentLength && cursor.pos > pos;
      if (!planned) await this.recover(new SourceTruncatedError(`Source body ended at byte ${cursor.pos} of ${target}`), cursor.pos);
    }
  }

  private targetOf(end: number | undefined): number {
    return end === undefined ? this.totalSize! : Math.min(end, this.totalSize!);
  }

  private async open(pos: number, end: number | undefined): Promise<RangeSourceResponse> {
    const { abortSignal } = this.options;
    if (abortSignal.aborted) throw abortReason(abortSignal, TRANSFER_ABORTED);
    // Until the size is known, ask for everything from `pos` (a ranged request on an empty file would be
    // unsatisfiable); the pump stops at `end` anyway.
    const length = end === undefined || this.totalSize === undefined ? undefined : end - pos;
    const response = await this.source.open(pos, length === undefined ? { abortSignal } : { length, abortSignal });
    try {
      this.check(response, pos);
    } catch (e) {
      destroy(response.body);
      throw e;
    }
    return response;
  }

  private check(r: RangeSourceResponse, pos: number): void {
    const reported = r.totalSize;
    if (this.totalSize === undefined) {
      if (reported === undefined || !Number.isSafeInteger(reported) || reported < 0) {
        throw new TransferVerificationError('SizeUnknown', `Source ${this.source.label ?? ''} did not report its size`.trim());
      }
      const expected = this.options.expectedTotalSize;
      if (expected !== undefined && reported !== expected) {
        throw new StaleStagedPrefixError(`Source is ${reported} bytes; the staged blocks were cut from ${expected} bytes`);
      }
      this.totalSize = reported;
    } else if (reported !== undefined && reported !== this.totalSize) {
      throw new TransferVerificationError('SourceChanged', `Source size changed from ${this.totalSize} to ${reported} bytes during the transfer`);
    }
    if (!Number.isSafeInteger(r.start) || r.start < 0 || r.start > pos) {
      throw new TransferVerificationError('OffsetMismatch', `Source response starts at byte ${r.start}, requested ${pos}`);
    }
    this.options.checkResponse?.({ contentType: r.contentType, totalSize: this.totalSize });
  }

  /** Copies one response into the sink, advancing `cursor.pos` chunk by chunk (so a failure knows where to resume). */
  private async pump(
    response: RangeSourceResponse,
    cursor: { pos: number },
    target: number,
    counted: (n: number) => void,
    sink: (chunk: Buffer) => Promise<void> | void,
  ): Promise<void> {
    const { body } = response;
    const { abortSignal, idleTimeoutMs } = this.options;
    // A server that ignored Range starts before the offset: skip what we already have.
    let skip = cursor.pos - response.start;
    let inSink = false;
    const onIdle = () => {
      // Time spent waiting for the sink (blob writes) is not the source's fault.
      if (inSink) timer.refresh();
      else destroy(body, new SourceStalledError(`Source sent nothing for ${idleTimeoutMs} ms`));
    };
    const timer = setTimeout(onIdle, idleTimeoutMs);
    const onAbort = () => destroy(body, abortReason(abortSignal, TRANSFER_ABORTED));
    abortSignal.addEventListener('abort', onAbort, { once: true });
    try {
      if (cursor.pos >= target && skip === 0) return;
      for await (const raw of body) {
        timer.refresh();
        let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
        counted(chunk.length);
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
          if (chunk.length === 0) continue;
        }
        const room = target - cursor.pos;
        if (chunk.length > room) {
          // More than asked is fine when we asked for less than the rest (a 200 that ignored the range);
          // more than the source's own size is not.
          if (target >= this.totalSize!) {
            throw new TransferVerificationError('SizeMismatch', `Source sent more than its ${this.totalSize} bytes`);
          }
          chunk = chunk.subarray(0, room);
        }
        cursor.pos += chunk.length;
        inSink = true;
        try {
          await sink(chunk);
        } catch (e) {
          throw new SinkError('sink failed', { cause: e });
        } finally {
          inSink = false;
        }
        if (cursor.pos >= target) break;
      }
    } finally {
      clearTimeout(timer);
      abortSignal.removeEventListener('abort', onAbort);
      destroy(body);
    }
  }

  /** Acts on a failure: rethrows permanent ones; otherwise spends a resume and waits before the caller reopens. */
  private async recover(e: unknown, pos: number): Promise<void> {
    const { abortSignal, maxResumes, logger } = this.options;
    if (abortSignal.aborted) throw abortReason(abortSignal, TRANSFER_ABORTED);
    if (e instanceof StaleStagedPrefixError) throw e;
    // The source answered, but not with the file: reopening at once would get the same answer. Transient for the
    // orchestration (whatever meddled may stop), never resumed here.
    if (isContentProofError(e)) throw e;
    if (this.options.expectedTotalSize !== undefined && this.totalSize === undefined && statusCodeOf(e) === 416) {
      // Resuming after staged blocks, the source says the offset is past its end: it is shorter than they were.
      throw new StaleStagedPrefixError(`Source refused offset ${pos} (416): it is shorter than the staged blocks`, { cause: e });
    }
    // Transient failures of a known kind are resumed; a permanent one, an unrecognised one, or a Retry-After longer
    // than a quick retry may wait is thrown at once, for the orchestration to retry later.
    const failure = classifyFailure(e);
    if (!isQuickRetryable(failure)) throw e;
    if (this.resumes >= maxResumes) {
      if (e instanceof SourceTruncatedError) {
        throw new TransferVerificationError('ShortSource', `${e.message}; gave up after ${maxResumes} resumes`, { cause: e });
      }
      throw e;
    }
    this.resumes++;
    recordRetry('source-resume', String(statusCodeOf(e) ?? failure.code));
    const delayMs = failure.retryAfterMs ?? backoffDelayMs(this.resumes - 1, this.options.retryDelayMs, this.options.maxRetryDelayMs);
    logger.warn('Source read failed; resuming from offset', {
      source: this.source.label,
      offset: pos,
      resume: this.resumes,
      maxResumes,
      delayMs,
      error: describeError(e),
    });
    await sleep(delayMs, undefined, { signal: abortSignal });
  }
}
