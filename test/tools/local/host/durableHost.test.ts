// The durable host driver is test infrastructure the archive tests rely on, so it is tested itself: against small
// orchestrations registered here through the real df.app API, exercising the real durable-functions replay engine.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { HistoryEventType, NonDeterminismError, runOrchestration } from '../../../../tools/local/host/durableHost.js';

const calls: Record<string, number> = {};
const failuresLeft: Record<string, number> = {};

df.app.activity('hostTestEcho', {
  handler: async (input: unknown) => {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    return { echoed: input, at: new Date(0) };
  },
});
df.app.activity('hostTestFlaky', {
  handler: (input: unknown) => {
    const key = (input as { key: string }).key;
    calls[key] = (calls[key] ?? 0) + 1;
    if ((failuresLeft[key] ?? 0) > 0) {
      failuresLeft[key]!--;
      throw new Error(`flaky ${key} failed`);
    }
    return `ok ${key}`;
  },
});
df.app.activity('hostTestString', { handler: (input: unknown) => ({ type: typeof input, input }) });
/** Returns how many times it has now run for this input, so a re-executed activity answers differently each time. */
df.app.activity('hostTestCount', {
  handler: (input: unknown) => {
    const key = `count ${JSON.stringify(input)}`;
    return (calls[key] = (calls[key] ?? 0) + 1);
  },
});

df.app.orchestration('hostTestFanOut', function* (context: OrchestrationContext) {
  const { n, activity = 'hostTestEcho' } = context.df.getInput<{ n: number; activity?: string }>();
  const results = (yield context.df.Task.all(Array.from({ length: n }, (_, i) => context.df.callActivity(activity, { i })))) as unknown[];
  context.df.setCustomStatus({ done: results.length });
  return results;
});

df.app.orchestration('hostTestRetry', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;
  const key = context.df.getInput<{ key: string }>().key;
  try {
    return (yield context.df.callActivityWithRetry('hostTestFlaky', retry, { key })) as string;
  } catch (e) {
    return `gave up: ${(e as Error).message.split('\n')[0]}`;
  }
});

/** Counts down through continueAsNew, one echo and one timer per execution. */
df.app.orchestration('hostTestContinue', function* (context: OrchestrationContext) {
  const { left, seen = [] } = context.df.getInput<{ left: number; seen?: string[] }>();
  yield context.df.callActivity('hostTestEcho', { left });
  if (left === 0) return { seen: [...seen, context.df.currentUtcDateTime.toISOString()] };
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  context.df.setCustomStatus({ left });
  context.df.continueAsNew({ left: left - 1, seen: [...seen, context.df.currentUtcDateTime.toISOString()] });
  return undefined;
});

df.app.orchestration('hostTestTimer', function* (context: OrchestrationContext) {
  const start = context.df.currentUtcDateTime.getTime();
  yield context.df.createTimer(new Date(start + 3_600_000));
  const s = (yield context.df.callActivity('hostTestString', 'plain text')) as unknown;
  return { waitedMs: context.df.currentUtcDateTime.getTime() - start, s };
});

df.app.orchestration('hostTestNonDeterministic', function* (context: OrchestrationContext) {
  yield context.df.callActivity('hostTestEcho', { r: Math.random() });
  yield context.df.callActivity('hostTestEcho', { second: true });
  return 'unreachable';
});

df.app.orchestration('hostTestEmptyAll', function* (context: OrchestrationContext) {
  yield context.df.Task.all([]);
  return 'unreachable';
});

df.app.orchestration('hostTestThrows', function* (context: OrchestrationContext) {
  yield context.df.callActivity('hostTestEcho', 1);
  throw new Error('boom in orchestrator');
});

describe('durable host driver', () => {
  it.each(['fifo', 'reverse', 'asCompleted'] as const)('completes a fan-out with results in input order (delivery %s)', async (deliveryOrder) => {
    const run = await runOrchestration('hostTestFanOut', { n: 5 }, { deliveryOrder });
    expect(run.runtimeStatus).toBe('Completed');
    // JSON round-trip: the Date came back as a string, as through the real host.
    expect(run.output).toEqual([0, 1, 2, 3, 4].map((i) => ({ echoed: { i }, at: '1970-01-01T00:00:00.000Z' })));
    expect(run.customStatus).toEqual({ done: 5 });
    expect(run.activities).toHaveLength(5);
    // One episode to schedule, one per completion.
    expect(run.episodes).toBe(6);
    const delivered = run.history.filter((e) => e.EventType === HistoryEventType.TaskCompleted).map((e) => e.TaskScheduledId);
    if (deliveryOrder === 'fifo') expect(delivered).toEqual([0, 1, 2, 3, 4]);
    if (deliveryOrder === 'reverse') expect(delivered).toEqual([4, 3, 2, 1, 0]);
  });

  it('works with the legacy V1 replay schema too', async () => {
    const run = await runOrchestration('hostTestFanOut', { n: 3 }, { schema: 'V1', deliveryOrder: 'reverse' });
    expect(run.runtimeStatus).toBe('Completed');
    expect((run.output as unknown[]).length).toBe(3);
  });

  it('emulates callActivityWithRetry host-side with backoff timers on a virtual clock', async () => {
    failuresLeft.twice = 2;
    const run = await runOrchestration('hostTestRetry', { key: 'twice' }, { startTime: new Date('2026-01-01T00:00:00Z') });
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.output).toBe('ok twice');
    expect(calls.twice).toBe(3);
    expect(run.activities.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    // TaskScheduled(0) → TaskFailed(0) → TimerCreated(1) → TimerFired(1) → TaskScheduled(2) → … (reference §2.5)
    const ids = run.history
      .filter((e) => [HistoryEventType.TaskScheduled, HistoryEventType.TimerCreated].includes(e.EventType as 4 | 10))
      .map((e) => [e.EventType, e.EventId]);
    expect(ids).toEqual([
      [HistoryEventType.TaskScheduled, 0],
      [HistoryEventType.TimerCreated, 1],
      [HistoryEventType.TaskScheduled, 2],
      [HistoryEventType.TimerCreated, 3],
      [HistoryEventType.TaskScheduled, 4],
    ]);
    const fireAts = run.history.filter((e) => e.EventType === HistoryEventType.TimerCreated).map((e) => e.FireAt);
    expect(fireAts).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:03.000Z']); // 1 s, then 2 s later
  });

  it('delivers the last error once attempts are exhausted', async () => {
    failuresLeft.always = 99;
    const run = await runOrchestration('hostTestRetry', { key: 'always' });
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.output).toMatch(/^gave up: Activity function 'hostTestFlaky' failed: flaky always failed/);
    expect(calls.always).toBe(3);
  });

  it('fires durable timers without sleeping and passes string inputs decoded', async () => {
    const run = await runOrchestration('hostTestTimer', null);
    expect(run.output).toEqual({ waitedMs: 3_600_000, s: { type: 'string', input: 'plain text' } });
  });

  it('detects a non-deterministic orchestrator on replay', async () => {
    await expect(runOrchestration('hostTestNonDeterministic', null)).rejects.toThrow(NonDeterminismError);
  });

  it('reports an orchestration failure as Failed (Task.all([]) is one)', async () => {
    const empty = await runOrchestration('hostTestEmptyAll', null);
    expect(empty.runtimeStatus).toBe('Failed');
    expect(empty.error).toMatch(/at least one Task/);
    const thrown = await runOrchestration('hostTestThrows', null);
    expect(thrown.runtimeStatus).toBe('Failed');
    expect(thrown.error).toBe('boom in orchestrator');
  });

  it('re-executes activities when asked (at-least-once) and delivers the last result', async () => {
    const starts: [number, number][] = [];
    const run = await runOrchestration(
      'hostTestFanOut',
      { n: 2, activity: 'hostTestCount' },
      { activityExecutions: () => 2, onActivityStart: (execution, runNo) => void starts.push([execution.taskId, runNo]) },
    );
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.activities).toHaveLength(2);
    // Each activity ran twice with the same input…
    expect(starts.sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
    ]);
    expect([calls['count {"i":0}'], calls['count {"i":1}']]).toEqual([2, 2]);
    // …and the orchestration got the second run's answer, not the first.
    expect(run.output).toEqual([2, 2]);
    expect(run.activities.map((a) => a.result)).toEqual([2, 2]);
  });

  it('runs continueAsNew as a fresh execution: new input, empty history, ids from 0, the clock going on', async () => {
    const run = await runOrchestration('hostTestContinue', { left: 2 }, { startTime: new Date('2026-01-01T00:00:00Z') });
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.executions.map((x) => x.input)).toEqual([
      { left: 2 },
      { left: 1, seen: ['2026-01-01T00:01:00.000Z'] },
      { left: 0, seen: ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z'] },
    ]);
    expect(run.output).toEqual({ seen: ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:02:00.000Z'] });
    // Each execution's history is its own: started with the new input, task ids from 0, ended by ContinueAsNew.
    for (const [i, x] of run.executions.entries()) {
      expect(x.history[1]).toMatchObject({ EventType: HistoryEventType.ExecutionStarted, Input: JSON.stringify(x.input) });
      expect(x.history.find((e) => e.EventType === HistoryEventType.TaskScheduled)!.EventId).toBe(0);
      expect(x.history.at(-1)!.EventType).toBe(i < 2 ? HistoryEventType.ContinueAsNew : HistoryEventType.ExecutionCompleted);
    }
    expect(run.executions[0]!.customStatus).toEqual({ left: 2 });
    expect(run.history).toBe(run.executions[2]!.history);
    expect(run.activities).toHaveLength(3);
  });
});
