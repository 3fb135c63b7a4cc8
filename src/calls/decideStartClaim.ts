// Pure decision: may this start take the call's claim row, given what the row says? The store mechanics (insert,
// ETag-matched replace) live in startRecordingForCall; this only decides.
import type { CallRecord } from './callStateModels.js';

/** Who asks: an automatic start (`callback`: the CallConnected callback or the Event Grid CallStarted event) or the control API. */
export type StartMode = 'callback' | 'api';

export type ClaimDecision =
  /** Take the claim; `reuseRepeatability` re-sends the previous claim's Repeatability-Request-ID so ACS deduplicates. */
  | { action: 'take'; reuseRepeatability: boolean }
  | { action: 'skip'; reason: 'alreadyStarted' | 'startInProgress' | 'callDisconnected' };

export interface ClaimContext {
  now: Date;
  /** A `starting` claim older than this is presumed abandoned (its instance died mid-start). */
  staleAfterMs: number;
  mode: StartMode;
  /** The call's current recording was stopped or failed (only consulted for `api` starts). */
  recordingEnded?: boolean;
}

export function decideStartClaim(existing: CallRecord, ctx: ClaimContext): ClaimDecision {
  // No auto-start after the call ended; an explicit API start is left for ACS to refuse.
  if (ctx.mode === 'callback' && (existing.status === 'disconnected' || existing.disconnectedAt)) {
    return { action: 'skip', reason: 'callDisconnected' };
  }
  switch (existing.status) {
    case 'failed':
    case 'disconnected':
      return { action: 'take', reuseRepeatability: false };
    case 'starting': {
      const claimedAt = existing.claimedAt ? Date.parse(existing.claimedAt) : Number.NaN;
      const stale = Number.isNaN(claimedAt) || ctx.now.getTime() - claimedAt >= ctx.staleAfterMs;
      return stale ? { action: 'take', reuseRepeatability: true } : { action: 'skip', reason: 'startInProgress' };
    }
    case 'started':
      return ctx.mode === 'api' && ctx.recordingEnded
        ? { action: 'take', reuseRepeatability: false }
        : { action: 'skip', reason: 'alreadyStarted' };
  }
}
