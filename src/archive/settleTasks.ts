// Waits for a group of Durable tasks and reports each one's result or error, like Promise.allSettled.
//
// Why not just `yield Task.all(tasks)`: it fails on the first failed child and drops the others' results while they
// keep running. Why not re-wrap the survivors in a new Task.all/Task.any: durable-functions 3.x re-sends every child
// of a newly built compound task to the host, which schedules already-running activities a second time
// (Azure/azure-functions-durable-js#574). Yielding an already-scheduled task on its own is safe: it is only awaited.
import type { OrchestrationContext, Task } from 'durable-functions';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Orchestrator helper: `const results = yield* settleTasks(context, tasks)`. Accepts an empty list. */
export function* settleTasks<T = unknown>(context: OrchestrationContext, tasks: Task[]): Generator<Task, Settled<T>[], unknown> {
  if (tasks.length === 0) return []; // Task.all([]) would fail the orchestration.
  try {
    yield context.df.Task.all(tasks);
  } catch {
    // At least one child failed; collect the rest one by one below.
  }
  const settled: Settled<T>[] = [];
  for (const task of tasks) {
    if (!task.isCompleted && !task.isFaulted) {
      try {
        yield task;
      } catch {
        // Recorded from the task's state below.
      }
    }
    settled.push(task.isCompleted ? { ok: true, value: task.result as T } : { ok: false, error: asError(task.result) });
  }
  return settled;
}

function asError(v: unknown): Error {
  return v instanceof Error ? v : new Error(typeof v === 'string' ? v : JSON.stringify(v));
}
