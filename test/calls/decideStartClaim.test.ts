import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/calls/callStateModels.js';
import { decideStartClaim, type ClaimContext } from '../../src/calls/decideStartClaim.js';

const now = new Date('2026-01-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const row = (r: Partial<CallRecord>): CallRecord => ({ serverCallId: 's', status: 'started', attempts: 1, updatedAt: now.toISOString(), ...r });
const ctx = (c: Partial<ClaimContext> = {}): ClaimContext => ({ now, staleAfterMs: 10 * 60_000, mode: 'callback', ...c });

describe('decideStartClaim', () => {
  it.each<[string, CallRecord, ClaimContext, ReturnType<typeof decideStartClaim>]>([
    ['started → duplicate for a callback', row({ status: 'started', recordingId: 'r' }), ctx(), { action: 'skip', reason: 'alreadyStarted' }],
    ['started → conflict for the API while the recording runs', row({ status: 'started' }), ctx({ mode: 'api' }), { action: 'skip', reason: 'alreadyStarted' }],
    ['started but ended → the API may start anew', row({ status: 'started' }), ctx({ mode: 'api', recordingEnded: true }), { action: 'take', reuseRepeatability: false }],
    ['started but ended → still no second auto-start', row({ status: 'started' }), ctx({ recordingEnded: true }), { action: 'skip', reason: 'alreadyStarted' }],
    ['failed → retry with a new request id', row({ status: 'failed' }), ctx(), { action: 'take', reuseRepeatability: false }],
    ['fresh starting claim → in progress', row({ status: 'starting', claimedAt: minutesAgo(1) }), ctx(), { action: 'skip', reason: 'startInProgress' }],
    ['stale starting claim → take over, same request id', row({ status: 'starting', claimedAt: minutesAgo(11) }), ctx(), { action: 'take', reuseRepeatability: true }],
    ['starting without claim time → take over', row({ status: 'starting' }), ctx(), { action: 'take', reuseRepeatability: true }],
    ['disconnected → no auto-start', row({ status: 'disconnected' }), ctx(), { action: 'skip', reason: 'callDisconnected' }],
    ['failed after disconnect → no auto-start', row({ status: 'failed', disconnectedAt: minutesAgo(1) }), ctx(), { action: 'skip', reason: 'callDisconnected' }],
    ['disconnected → the API asks ACS anyway', row({ status: 'disconnected' }), ctx({ mode: 'api' }), { action: 'take', reuseRepeatability: false }],
  ])('%s', (_name, existing, context, expected) => {
    expect(decideStartClaim(existing, context)).toEqual(expected);
  });
});
