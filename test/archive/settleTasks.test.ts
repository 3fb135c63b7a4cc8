// settleTasks is the orchestrator's allSettled: every task's result or error, nothing scheduled twice.
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { settleTasks } from '../../src/archive/settleTasks.js';
import { HistoryEventType, runOrchestration } from '../../tools/local/host/durableHost.js';

df.app.activity('settleTestWork', {
  handler: (input: unknown) => {
    const { i, fail } = input as { i: number; fail?: boolean };
    if (fail) throw new Error(`work ${i} failed`);
    return i * 10;
  },
});

df.app.orchestration('settleTestOrchestration', function* (context: OrchestrationContext) {
  const { failing, n } = context.df.getInput<{ failing: number[]; n: number }>();
  const retry = new df.RetryOptions(100, 2);
  const tasks = Array.from({ length: n }, (_, i) => context.df.callActivityWithRetry('settleTestWork', retry, { i, fail: failing.includes(i) }));
  const settled = yield* settleTasks<number>(context, tasks);
  return settled.map((s) => (s.ok ? s.value : `error: ${s.error.message.split('\n')[0]!.trim()}`));
});

describe('settleTasks', () => {
  it.each(['fifo', 'reverse'] as const)('reports every result and error without rescheduling anything (%s)', async (deliveryOrder) => {
    const run = await runOrchestration('settleTestOrchestration', { n: 4, failing: [1] }, { deliveryOrder });
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.output).toEqual([0, "error: Activity function 'settleTestWork' failed: work 1 failed", 20, 30]);
    // 3 successes once each, the failing one twice (2 attempts): nothing was scheduled a second time by re-yielding.
    const scheduled = run.history.filter((e) => e.EventType === HistoryEventType.TaskScheduled).map((e) => JSON.parse(e.Input as string) as { i: number });
    expect(scheduled.map((s) => s.i).sort()).toEqual([0, 1, 1, 2, 3]);
  });

  it('accepts an empty list (Task.all([]) would fail the orchestration)', async () => {
    const run = await runOrchestration('settleTestOrchestration', { n: 0, failing: [] });
    expect(run.runtimeStatus).toBe('Completed');
    expect(run.output).toEqual([]);
  });
});
