// An in-process stand-in for the Durable Task host (functions-durable reference §2.6): drives a REGISTERED
// orchestrator callback through the out-of-process protocol — history in, OrchestratorState out — until it
// completes, executing the REGISTERED activity callbacks for the actions it emits.
//
// What it checks and emulates, like the real host:
// - determinism: on every replay the orchestrator must re-emit exactly the actions it emitted before (prefix check;
//   the JS SDK itself does not check this, DTFx does);
// - JSON round-trips of every input, output and result (Dates become strings, undefined disappears);
// - one completion per episode, so host-side task ids match the SDK's sequence numbers unambiguously;
// - callActivityWithRetry executed host-side (DTFx RetryInterceptor): TaskFailed → retry timer → new TaskScheduled,
//   delay = first × coefficient^(n-1) capped at maxRetryInterval, a zero "dummy" timer after the last attempt;
// - durable timers on a virtual clock: nothing actually sleeps (it starts at the real time, as a host would);
// - continueAsNew (DTFx): the execution ends with a ContinueAsNew event, and a new execution of the same instance
//   starts with an empty history and the new input; work still pending from the old execution is discarded.
// Activities run concurrently for real (they are started when scheduled); only the delivery of their completions
// to the orchestrator is ordered (see {@link DeliveryOrder}).
import { InvocationContext } from './functionsLib.js';
import { isDeepStrictEqual } from 'node:util';
import { getRegistered, invokeFunction, type CapturedLog, type LogSink } from './functionsHost.js';

/** Durable `HistoryEventType` values (durable-functions lib/src/history/HistoryEventType.js). */
export const HistoryEventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  ContinueAsNew: 16,
} as const;

/** Durable `ActionType` values (durable-functions lib/src/actions/ActionType.js). */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  WhenAny: 11,
  WhenAll: 12,
} as const;

export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export interface DurableAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: {
    firstRetryIntervalInMilliseconds: number;
    maxNumberOfAttempts: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
  };
  fireAt?: string;
  compoundActions?: DurableAction[];
  [field: string]: unknown;
}

/**
 * Order in which completed work is delivered to the orchestrator (one completion per episode):
 * - `fifo` (default): wait until every running activity has finished, then deliver in scheduling order;
 * - `reverse`: wait likewise, then deliver the most recently scheduled first (out-of-order fan-in);
 * - `asCompleted`: deliver whichever activity finishes first in real time.
 * Due timers are delivered after activities; when nothing else is pending the virtual clock jumps to the next timer.
 */
export type DeliveryOrder = 'fifo' | 'reverse' | 'asCompleted';

/** One execution of an activity callback, as the driver saw it. */
export interface ActivityExecution {
  /** Host task id (TaskScheduled EventId). */
  taskId: number;
  name: string;
  input: unknown;
  /** 1-based attempt number for retried activities. */
  attempt: number;
  /** Global sequence numbers (shared with {@link DurableHost.tick}) of start and end, for ordering assertions. */
  startedSeq: number;
  endedSeq?: number;
  /** Virtual time at which the host scheduled it. */
  scheduledAt: string;
  status: 'running' | 'completed' | 'failed';
  result?: unknown;
  error?: string;
}

export interface DurableHostOptions {
  instanceId?: string;
  /** `V3` (default): upperSchemaVersion 1 + upperSchemaVersionNew 2, as current hosts send. `V1`: the legacy schema. */
  schema?: 'V1' | 'V3';
  deliveryOrder?: DeliveryOrder;
  /** Virtual start time of the orchestration (default: now). */
  startTime?: Date;
  /** Safety net against runaway orchestrations. */
  maxEpisodes?: number;
  /**
   * How many times to run each activity (default 1). >1 emulates at-least-once execution: the activity is run again
   * with the same input and the LAST result is delivered, as when a worker dies after the work but before reporting.
   */
  activityExecutions?: (name: string, input: unknown) => number;
  /** Called (and awaited) just before an activity callback runs; `run` counts re-executions from 1. */
  onActivityStart?: (execution: ActivityExecution, run: number) => void | Promise<void>;
  logs?: LogSink;
}

/** One execution of an instance (more than one after continueAsNew). */
export interface OrchestrationExecution {
  executionId: string;
  input: unknown;
  /** The execution's whole history, ending with ExecutionCompleted, ExecutionFailed or ContinueAsNew. */
  history: HistoryEvent[];
  /** The custom status the execution last set (for executions that continued as new; see OrchestrationRun). */
  customStatus?: unknown;
}

export interface OrchestrationRun {
  instanceId: string;
  name: string;
  runtimeStatus: 'Completed' | 'Failed';
  output: unknown;
  customStatus: unknown;
  /** Failure message, for `Failed`. */
  error?: string;
  /** The last execution's history: what the host keeps for the instance in the end. */
  history: HistoryEvent[];
  /** Every execution in order, the last one included (its history is `history`). */
  executions: OrchestrationExecution[];
  /** Virtual time when the run ended. */
  endedAt: string;
  episodes: number;
  activities: ActivityExecution[];
  /** Every log line of this run's invocations (also sent to `options.logs`, if given). */
  logs: CapturedLog[];
}

/** The orchestrator re-emitted different actions on replay: the code is not deterministic. */
export class NonDeterminismError extends Error {
  override readonly name = 'NonDeterminismError';
}

interface RetryState {
  name: string;
  input: unknown;
  options: NonNullable<DurableAction['retryOptions']>;
  attempt: number;
}

type Pending =
  | { kind: 'activity'; seq: number; taskId: number; retry?: RetryState; settled?: HistoryEvent; done: Promise<void> }
  | { kind: 'timer'; seq: number; timerId: number; fireAtMs: number; retry?: RetryState };

const OUT_OF_PROC_LABEL = '$OutOfProcData$:';
let globalSeq = 0;

/** Global, monotonically increasing sequence shared by every host run (for "A happened before B" assertions). */
export function tick(): number {
  return ++globalSeq;
}

function jsonRoundTrip<T>(v: T): T {
  return v === undefined ? (null as T) : (JSON.parse(JSON.stringify(v)) as T);
}

/** All leaf actions in emission order, whatever the schema's nesting ([[a],[b1,b2]] or [[a,{WhenAll:[…]}]]). */
export function flattenActions(actions: unknown): DurableAction[] {
  const out: DurableAction[] = [];
  const visit = (a: unknown) => {
    if (Array.isArray(a)) a.forEach(visit);
    else if (a && typeof a === 'object') {
      const action = a as DurableAction;
      if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) (action.compoundActions ?? []).forEach(visit);
      else out.push(action);
    }
  };
  visit(actions);
  return out;
}

function retryDelayMs(o: RetryState['options'], failedAttempt: number): number {
  if (failedAttempt >= o.maxNumberOfAttempts) return 0; // DTFx's "dummy timer for back-compat" after the last attempt.
  const coefficient = o.backoffCoefficient ?? 1;
  const raw = o.firstRetryIntervalInMilliseconds * coefficient ** (failedAttempt - 1);
  return o.maxRetryIntervalInMilliseconds ? Math.min(raw, o.maxRetryIntervalInMilliseconds) : raw;
}

/**
 * Runs the registered orchestration `name` with `input` to completion (or failure) and returns what the host would
 * record. Throws {@link NonDeterminismError} on a replay mismatch, and on anything the emulator does not support.
 */
export async function runOrchestration(name: string, input: unknown, options: DurableHostOptions = {}): Promise<OrchestrationRun> {
  const orchestrator = getRegistered(name);
  if (orchestrator.metadata.bindings && !Object.values(orchestrator.metadata.bindings).some((b) => b.type === 'orchestrationTrigger')) {
    throw new Error(`Function "${name}" is not an orchestration`);
  }
  const instanceId = options.instanceId ?? `inst-${Math.random().toString(16).slice(2)}`;
  const order = options.deliveryOrder ?? 'fifo';
  const maxEpisodes = options.maxEpisodes ?? 10_000;
  const logs: CapturedLog[] = [];
  const record = (line: CapturedLog) => {
    logs.push(line);
    options.logs?.push(line);
  };
  let roundTrippedInput = jsonRoundTrip(input);

  let nowMs = (options.startTime ?? new Date()).getTime();
  const iso = () => new Date(nowMs).toISOString();
  const event = (type: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent => ({
    EventType: type,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: iso(),
    ...fields,
  });

  const executions: OrchestrationExecution[] = [];
  const startExecution = (): HistoryEvent[] => {
    const executionId = `exec-${executions.length + 1}`;
    const h = [
      event(HistoryEventType.OrchestratorStarted),
      event(HistoryEventType.ExecutionStarted, {
        Name: name,
        Input: JSON.stringify(roundTrippedInput),
        Version: '',
        OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
      }),
    ];
    executions.push({ executionId, input: roundTrippedInput, history: h });
    return h;
  };
  let history: HistoryEvent[] = startExecution();
  let recorded: DurableAction[] = [];
  let nextId = 0;
  let pendingSeq = 0;
  let pending: Pending[] = [];
  const activities: ActivityExecution[] = [];
  /** Events the host appends after the next episode's run (its own decisions: retry timers and re-attempts). */
  let hostEvents: HistoryEvent[] = [];
  let hostStarts: (() => void)[] = [];

  const startActivity = (taskId: number, actionName: string, actionInput: unknown, retry?: RetryState) => {
    const fn = getRegistered(actionName);
    if (!Object.values(fn.metadata.bindings).some((b) => b.type === 'activityTrigger')) {
      throw new Error(`Orchestration scheduled "${actionName}", which is not a registered activity`);
    }
    // The SDK JSON-encodes top-level string inputs (Utils.processInput); the host hands the decoded value over.
    let value: unknown = actionInput;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        /* a plain string */
      }
    }
    const execution: ActivityExecution = {
      taskId,
      name: actionName,
      input: jsonRoundTrip(value),
      attempt: retry?.attempt ?? 1,
      startedSeq: 0,
      scheduledAt: iso(),
      status: 'running',
    };
    activities.push(execution);
    const entry: Pending = { kind: 'activity', seq: ++pendingSeq, taskId, retry, done: Promise.resolve() };
    entry.done = (async () => {
      const runs = Math.max(1, options.activityExecutions?.(actionName, execution.input) ?? 1);
      let result: unknown;
      try {
        for (let i = 0; i < runs; i++) {
          execution.startedSeq ||= tick();
          await options.onActivityStart?.(execution, i + 1);
          const context = new InvocationContext({
            invocationId: `act-${taskId}-${execution.attempt}-${i}`,
            functionName: actionName,
            logHandler: (level, ...args) => record({ level, message: args.map(String).join(' '), functionName: actionName }),
            options: { trigger: { type: 'activityTrigger', name: 'input' } },
          });
          result = await invokeFunction(actionName, [jsonRoundTrip(execution.input)], context);
        }
        const resultJson = JSON.stringify(result ?? null);
        execution.status = 'completed';
        execution.result = JSON.parse(resultJson);
        entry.settled = event(HistoryEventType.TaskCompleted, { TaskScheduledId: taskId, Result: resultJson });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        execution.status = 'failed';
        execution.error = err.message;
        entry.settled = event(HistoryEventType.TaskFailed, {
          TaskScheduledId: taskId,
          Reason: `Activity function '${actionName}' failed: ${err.message}`,
          Details: err.stack ?? '',
        });
      } finally {
        execution.endedSeq = tick();
      }
    })();
    pending.push(entry);
  };

  const scheduleTimer = (timerId: number, fireAtMs: number, retry?: RetryState) => {
    pending.push({ kind: 'timer', seq: ++pendingSeq, timerId, fireAtMs, retry });
  };

  /** Picks and removes the next completion to deliver; advances the virtual clock for timers. */
  const nextCompletion = async (): Promise<Pending & { settled?: HistoryEvent }> => {
    for (;;) {
      const acts = pending.filter((p): p is Extract<Pending, { kind: 'activity' }> => p.kind === 'activity');
      const running = acts.filter((a) => !a.settled);
      const settled = acts.filter((a) => a.settled);
      if (order === 'asCompleted') {
        if (settled.length) return take(settled.reduce((a, b) => (a.seq < b.seq ? a : b)));
        if (running.length) {
          await Promise.race(running.map((r) => r.done));
          continue;
        }
      } else {
        if (running.length) {
          await Promise.all(running.map((r) => r.done));
          continue;
        }
        if (settled.length) return take(settled.reduce((a, b) => ((order === 'fifo' ? a.seq < b.seq : a.seq > b.seq) ? a : b)));
      }
      const timers = pending.filter((p): p is Extract<Pending, { kind: 'timer' }> => p.kind === 'timer');
      if (!timers.length) throw new Error(`Orchestration "${name}" is stuck: nothing pending and not done`);
      const next = timers.reduce((a, b) => (a.fireAtMs < b.fireAtMs || (a.fireAtMs === b.fireAtMs && a.seq < b.seq) ? a : b));
      nowMs = Math.max(nowMs, next.fireAtMs);
      return take(next);
    }
  };
  const take = <T extends Pending>(p: T): T => {
    pending.splice(pending.indexOf(p), 1);
    return p;
  };

  for (let episode = 1; ; episode++) {
    if (episode > maxEpisodes) throw new Error(`Orchestration "${name}" did not finish within ${maxEpisodes} episodes`);
    const lastStarted = history.reduce((i, e, idx) => (e.EventType === HistoryEventType.OrchestratorStarted ? idx : i), 0);
    const trigger = {
      history: jsonRoundTrip(history),
      input: roundTrippedInput,
      instanceId,
      isReplaying: lastStarted > 0,
      parentInstanceId: null,
      ...(options.schema === 'V1' ? { upperSchemaVersion: 0 } : { upperSchemaVersion: 1, upperSchemaVersionNew: 2 }),
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '6.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const context = new InvocationContext({
      invocationId: `orch-${instanceId}-${episode}`,
      functionName: name,
      logHandler: (level, ...args) => record({ level, message: args.map(String).join(' '), functionName: name }),
      options: { trigger: { type: 'orchestrationTrigger', name: 'context' } },
    });

    let state: { isDone?: boolean; actions?: unknown; output?: unknown; customStatus?: unknown; error?: string };
    let failed = false;
    try {
      // What the worker sends back is JSON; compare and act on exactly that.
      state = jsonRoundTrip(await invokeFunction(name, [trigger], context)) as typeof state;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const at = message.indexOf(OUT_OF_PROC_LABEL);
      if (at < 0) throw e; // Not an orchestration failure: a bug in the SDK wiring or this driver.
      state = JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as typeof state;
      failed = true;
    }

    const flat = flattenActions(state.actions);
    const prefix = flat.slice(0, recorded.length);
    if (!isDeepStrictEqual(prefix, recorded)) {
      const i = recorded.findIndex((a, k) => !isDeepStrictEqual(a, prefix[k]));
      throw new NonDeterminismError(
        `Episode ${episode}: replayed action #${i} differs from the recorded one.\n` +
          `recorded: ${JSON.stringify(recorded[i])}\nreplayed: ${JSON.stringify(prefix[i])}`,
      );
    }
    const newActions = flat.slice(recorded.length);
    recorded = flat;

    const finish = (runtimeStatus: OrchestrationRun['runtimeStatus']): OrchestrationRun => {
      history.push(...hostEvents);
      history.push(
        runtimeStatus === 'Completed'
          ? event(HistoryEventType.ExecutionCompleted, { Result: JSON.stringify(state.output ?? null), OrchestrationStatus: 1 })
          : event(HistoryEventType.ExecutionFailed, { Reason: state.error ?? 'failed' }),
      );
      return {
        instanceId,
        name,
        runtimeStatus,
        output: state.output ?? null,
        customStatus: state.customStatus ?? null,
        ...(state.error === undefined ? {} : { error: state.error }),
        history,
        executions,
        endedAt: iso(),
        episodes: episode,
        activities,
        logs,
      };
    };
    if (failed) return finish('Failed');
    const continueAsNew = newActions.find((a) => a.actionType === ActionType.ContinueAsNew);
    if (state.isDone && continueAsNew) {
      // DTFx: the execution completes as ContinuedAsNew; outstanding work is abandoned; a fresh execution starts.
      history.push(...hostEvents);
      history.push(event(HistoryEventType.ContinueAsNew, { Result: JSON.stringify(continueAsNew.input ?? null), OrchestrationStatus: 4 }));
      for (const e of history) e.IsPlayed = true;
      executions.at(-1)!.customStatus = state.customStatus ?? null;
      roundTrippedInput = jsonRoundTrip(continueAsNew.input);
      history = startExecution();
      recorded = [];
      nextId = 0;
      pending = [];
      hostEvents = [];
      hostStarts = [];
      continue;
    }
    if (state.isDone) return finish('Completed');
    if (continueAsNew) throw new Error('continueAsNew was emitted but the orchestrator did not finish the episode');

    // The host's own decisions from the delivered completion, then the orchestrator's new actions, in id order.
    history.push(...hostEvents);
    hostEvents = [];
    for (const start of hostStarts) start();
    hostStarts = [];
    for (const action of newActions) {
      const id = nextId++;
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const retry =
            action.actionType === ActionType.CallActivityWithRetry
              ? { name: action.functionName!, input: action.input, options: action.retryOptions!, attempt: 1 }
              : undefined;
          history.push(event(HistoryEventType.TaskScheduled, { Name: action.functionName, Input: JSON.stringify(action.input ?? null) }, id));
          startActivity(id, action.functionName!, action.input, retry);
          break;
        }
        case ActionType.CreateTimer: {
          history.push(event(HistoryEventType.TimerCreated, { FireAt: action.fireAt }, id));
          scheduleTimer(id, Date.parse(action.fireAt!));
          break;
        }
        default:
          throw new Error(`The durable host emulator does not support action type ${action.actionType} (${JSON.stringify(action)})`);
      }
    }
    history.push(event(HistoryEventType.OrchestratorCompleted));
    for (const e of history) e.IsPlayed = true;

    // Deliver exactly one completion in the next episode.
    const next = await nextCompletion();
    history.push(event(HistoryEventType.OrchestratorStarted));
    if (next.kind === 'activity') {
      const completion = { ...next.settled!, Timestamp: iso() };
      history.push(completion);
      if (next.retry && completion.EventType === HistoryEventType.TaskFailed) {
        // DTFx RetryInterceptor: a timer after every failed attempt (a zero one after the last).
        const timerId = nextId++;
        const fireAtMs = nowMs + retryDelayMs(next.retry.options, next.retry.attempt);
        hostEvents.push(event(HistoryEventType.TimerCreated, { FireAt: new Date(fireAtMs).toISOString() }, timerId));
        scheduleTimer(timerId, fireAtMs, next.retry);
      }
    } else {
      history.push(event(HistoryEventType.TimerFired, { TimerId: next.timerId, FireAt: new Date(next.fireAtMs).toISOString() }));
      const retry = next.retry;
      if (retry && retry.attempt < retry.options.maxNumberOfAttempts) {
        const taskId = nextId++;
        const again: RetryState = { ...retry, attempt: retry.attempt + 1 };
        hostEvents.push(event(HistoryEventType.TaskScheduled, { Name: retry.name, Input: JSON.stringify(retry.input ?? null) }, taskId));
        hostStarts.push(() => startActivity(taskId, retry.name, retry.input, again));
      }
    }
  }
}
