// The call/recording service behind the callback, the Event Grid call events and the control API: starts (with the
// per-call duplicate guard), records callback and call events, and runs pause/resume/stop/get against ACS while keeping the state table current.
// Dependencies are injected so tests construct it against the emulator and Azurite; see callServices.ts.
import type { CallKind, RecordingDefaults } from '../config.js';
import { isAcsRequestError } from '../acs/errors.js';
import type { AcsRecordingClient, StartRecordingRequest } from '../acs/models.js';
import { NotFoundError } from '../shared/errors.js';
import type { Logger } from '../shared/logging.js';
import type { CallAutomationEvent, CallConnectedEvent } from './callAutomationEvents.js';
import { recordingRow, type CallStateStore } from './CallStateStore.js';
import type { RecordingRecord, StartedVia } from './callStateModels.js';
import { callKindOf } from './callKind.js';
import type { CallEndedEvent, CallStartedEvent } from './parseCallLifecycleEvent.js';
import { mutateRow } from './mutateRow.js';
import type { StartRecordingCommand } from './parseStartRecordingBody.js';
import { recordCallDisconnected, recordCallEnded } from './recordCallDisconnected.js';
import { storedRecordingState } from './recordingSummary.js';
import { recordingView, type RecordingView } from './recordingView.js';
import { recordRecordingStateChanged } from './recordRecordingStateChanged.js';
import { recordStartRecordingFailed } from './recordStartRecordingFailed.js';
import { DEFAULT_CLAIM_STALE_AFTER_MS, mergeStart, startedRecord, startRecordingForCall, type StartForCallDeps } from './startRecordingForCall.js';
import { toRecordingRouteId } from './recordingIdEncoding.js';
import { isTransient } from '../shared/failureModel.js';
import { StateStoreError } from './TableCallStateStore.js';
import { RecordingConflictError } from './RecordingConflictError.js';

/** Dependencies and settings of {@link RecordingService}. */
export interface RecordingServiceOptions {
  recordingClient: AcsRecordingClient;
  store: CallStateStore;
  /** Settings used for CallConnected auto-starts and for what an API start leaves out. */
  defaults: RecordingDefaults;
  /** Start a recording on CallConnected (`RECORDING_AUTO_START`). */
  autoStart: boolean;
  /** Act on Event Grid CallStarted / CallEnded (`RECORD_ON_CALL_STARTED`); default false: they are ignored. */
  recordOnCallStarted?: boolean;
  /** Kinds of call recorded on CallStarted (`CALL_STARTED_FILTER`); default every kind. */
  callStartedFilter?: readonly CallKind[];
  /** `recordingStateCallbackUri` for every start, or undefined to send none. */
  callbackUri?: string;
  /** Default {@link DEFAULT_CLAIM_STALE_AFTER_MS}. */
  claimStaleAfterMs?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** What handling one callback event did. */
export type CallEventOutcome =
  | { outcome: 'started'; recordingId: string }
  | { outcome: 'skipped'; reason: string; recordingId?: string }
  | { outcome: 'recorded'; recordingId?: string }
  | { outcome: 'ignored' };

/** What handling one Event Grid CallStarted / CallEnded did. Transient failures are thrown instead (redelivery). */
export type CallLifecycleOutcome =
  | CallEventOutcome
  | { outcome: 'skipped'; reason: 'filteredOut'; callKind: CallKind }
  | { outcome: 'failed'; transient: false; error: FailureSummary };
/** An outcome as the callback reports it: with the base64url `id` of the control API wherever a recording is named. */
export type ReportedCallEventOutcome = CallEventOutcome & { id?: string };

function withRouteId(outcome: CallEventOutcome): ReportedCallEventOutcome {
  return 'recordingId' in outcome && outcome.recordingId !== undefined ? { ...outcome, id: toRecordingRouteId(outcome.recordingId) } : outcome;
}

/** Outcome of every event of a delivery, and the first failure worth a redelivery, if any. */
export interface CallbackResult {
  results: ({ eventId: string; type: string } & (ReportedCallEventOutcome | { outcome: 'failed'; error: FailureSummary; transient: boolean }))[];
  /**
   * A transient failure (the failure model's verdict: throttling, 5xx, network, timeouts, state-table trouble): the
   * callback answers with its status so ACS may redeliver. ACS refusing the start (other 4xx) would refuse it again.
   * A state table refusing the values (Table Storage 400/413) is returned too, and answered with 400.
   */
  failure?: unknown;
}

/** What a callback response says about a failed event (no internals). */
export interface FailureSummary {
  code: string;
  status?: number;
}

function failureSummary(e: unknown): FailureSummary {
  if (isAcsRequestError(e)) return e.statusCode === undefined ? { code: e.code } : { code: e.code, status: e.statusCode };
  return { code: 'InternalError' };
}

/** Accepted pause/resume/stop. */
export interface RecordingActionResult {
  id: string;
  recordingId: string;
  action: 'pause' | 'resume' | 'stop';
  /** `accepted` for pause/resume (ACS applies them asynchronously), `stopped` for stop. */
  status: 'accepted' | 'stopped';
}

const ACTION_METHODS = { pause: 'pauseRecording', resume: 'resumeRecording', stop: 'stopRecording' } as const;

export class RecordingService {
  private readonly now: () => Date;

  constructor(private readonly options: RecordingServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Applies the events of one callback delivery in order. Each is independent: a failure is reported after the
   * rest were applied. Only transient failures are returned as `failure` (every step is idempotent, so a
   * redelivery is safe); a permanent one (ACS refusing the start) is reported in its result only.
   */
  async handleCallEvents(events: CallAutomationEvent[], log: Logger): Promise<CallbackResult> {
    const results: CallbackResult['results'] = [];
    let failure: unknown;
    for (const event of events) {
      try {
        results.push({ eventId: event.eventId, type: event.type, ...withRouteId(await this.handleCallEvent(event, log)) });
      } catch (e) {
        const transient = isTransient(e);
        // Transient: answered with its status so ACS redelivers. A state table refusing the values is answered
        // with 400 (toApiResponse), so nobody retries what can never be stored.
        if (transient || (e instanceof StateStoreError && e.rejected)) failure ??= e;
        results.push({ eventId: event.eventId, type: event.type, outcome: 'failed', error: failureSummary(e), transient });
      }
    }
    return failure === undefined ? { results } : { results, failure };
  }

  /** Applies one validated callback event. ACS failures of an auto-start are thrown (after the claim is released). */
  async handleCallEvent(event: CallAutomationEvent, log: Logger): Promise<CallEventOutcome> {
    if (event.kind === 'ignored') {
      log.info('Ignoring Call Automation event of another type', { eventId: event.eventId, eventType: event.type });
      return { outcome: 'ignored' };
    }
    const elog = log.with({
      correlationId: event.correlationId,
      serverCallId: event.serverCallId,
      recordingId: 'recordingId' in event ? event.recordingId : undefined,
      eventId: event.eventId,
    });
    const { store } = this.options;
    switch (event.kind) {
      case 'CallConnected':
        return this.autoStart(event, elog);
      case 'RecordingStateChanged':
        await recordRecordingStateChanged(store, event, this.now(), elog);
        return { outcome: 'recorded', recordingId: event.recordingId };
      case 'StartRecordingFailed':
        await recordStartRecordingFailed(store, event, this.now(), elog);
        return { outcome: 'recorded', recordingId: event.recordingId };
      case 'CallDisconnected':
        return { outcome: 'recorded', recordingId: await recordCallDisconnected(store, event, this.now(), elog) };
    }
  }

  /**
   * Applies one validated Event Grid CallStarted / CallEnded. CallStarted starts a recording through the same claim
   * as CallConnected and API starts, so any order and any number of deliveries of the three start one recording. A
   * start ACS refuses for good is logged and reported (the claim row keeps the failure), not thrown: a redelivery
   * would be refused again. Transient failures are thrown, so the invocation fails and Event Grid redelivers.
   */
  async handleCallLifecycleEvent(event: CallStartedEvent | CallEndedEvent, log: Logger): Promise<CallLifecycleOutcome> {
    const elog = log.with({ correlationId: event.correlationId, serverCallId: event.serverCallId, eventId: event.eventId });
    if (!this.options.recordOnCallStarted) {
      elog.info(`${event.kind}: RECORD_ON_CALL_STARTED is off; ignoring the event`);
      return { outcome: 'ignored' };
    }
    if (event.kind === 'CallEnded') {
      return { outcome: 'recorded', recordingId: await recordCallEnded(this.options.store, event, this.now(), elog) };
    }
    const callKind = callKindOf(event);
    const filter = this.options.callStartedFilter;
    if (filter && !filter.includes(callKind)) {
      elog.info('CallStarted: this kind of call is not recorded (CALL_STARTED_FILTER)', { callKind });
      return { outcome: 'skipped', reason: 'filteredOut', callKind };
    }
    try {
      return await this.startAutomatically(event.serverCallId, { startedVia: 'callStarted', correlationId: event.correlationId }, elog);
    } catch (e) {
      if (isTransient(e)) throw e;
      const error = failureSummary(e);
      elog.error('CallStarted: ACS refused to record the call; not retrying', { callKind, error: (e as Error).message, code: error.code, status: error.status });
      return { outcome: 'failed', transient: false, error };
    }
  }

  /** `POST /api/recordings`: starts a recording and records it; 409 when the call already has a running one. */
  async startRecording(command: StartRecordingCommand, log: Logger): Promise<RecordingView> {
    const request: StartRecordingRequest = {
      target: command.target,
      ...command.settings,
      recordingStateCallbackUri: this.options.callbackUri,
      channelAffinity: command.channelAffinity,
      audioChannelParticipantOrdering: command.audioChannelParticipantOrdering,
    };
    const { target } = command;
    if ('serverCallId' in target) {
      const started = await startRecordingForCall(this.startDeps(log), { ...request, target }, { startedVia: 'api' }, 'api');
      if (started.outcome === 'skipped') {
        // 'callDisconnected' only applies to auto-starts; an API start is left for ACS to refuse.
        throw new RecordingConflictError(started.reason === 'alreadyStarted' ? 'alreadyStarted' : 'startInProgress', started.call.recordingId);
      }
      return recordingView(started.result.recordingId, started.record, started.result);
    }
    // By call connection ID there is no serverCallId to claim: ACS itself refuses a second recording, and the
    // first RecordingStateChanged (which carries the serverCallId) registers the call for the duplicate guard.
    const result = await this.options.recordingClient.startRecording(request, { logger: log });
    const { callConnectionId } = target;
    const started = startedRecord(result, request, { startedVia: 'api', callConnectionId }, this.now().toISOString());
    // The start named the connection: its ID replaces one an event stored first (a start by serverCallId keeps that one).
    const record = await mutateRow(recordingRow(this.options.store, result.recordingId), (current) => ({ ...mergeStart(current, started), callConnectionId }));
    log.info('Recording started', { recordingId: result.recordingId, callConnectionId, startedVia: 'api' });
    return recordingView(result.recordingId, record, result);
  }

  /** `GET /api/recordings/{id}`: stored state and archive plus ACS's live state; 404 when neither knows the recording. */
  async getRecording(recordingId: string, log: Logger): Promise<RecordingView> {
    const { store } = this.options;
    const [stored, chunkRows, live] = await Promise.all([
      store.getRecording(recordingId),
      store.listChunks(recordingId),
      this.options.recordingClient.getRecordingState(recordingId, { logger: log }).then(
        (r) => ({ result: r }),
        (e: unknown) => ({ error: e }),
      ),
    ]);
    const chunks = chunkRows.map((c) => c.value);
    if ('result' in live) return recordingView(recordingId, stored?.value, live.result, undefined, chunks);
    const notFound = isAcsRequestError(live.error) && live.error.statusCode === 404;
    if (!stored) {
      if (notFound) throw new NotFoundError('No recording with this id is known to this app or to ACS');
      throw live.error;
    }
    if (!notFound) {
      const error = live.error;
      log.warn('ACS live state unavailable; answering with the stored state', { error: (error as Error).message });
      const liveError = { code: isAcsRequestError(error) ? error.code : 'Error', status: isAcsRequestError(error) ? (error.statusCode ?? null) : null };
      return recordingView(recordingId, stored.value, undefined, liveError, chunks);
    }
    return recordingView(recordingId, stored.value, undefined, undefined, chunks);
  }

  pauseRecording(recordingId: string, log: Logger): Promise<RecordingActionResult> {
    return this.runAction(recordingId, 'pause', log);
  }

  resumeRecording(recordingId: string, log: Logger): Promise<RecordingActionResult> {
    return this.runAction(recordingId, 'resume', log);
  }

  stopRecording(recordingId: string, log: Logger): Promise<RecordingActionResult> {
    return this.runAction(recordingId, 'stop', log);
  }

  private async autoStart(event: CallConnectedEvent, log: Logger): Promise<CallEventOutcome> {
    if (!this.options.autoStart) {
      log.info('CallConnected: auto-start is off (RECORDING_AUTO_START=false); not recording');
      return { outcome: 'skipped', reason: 'autoStartDisabled' };
    }
    return this.startAutomatically(
      event.serverCallId,
      { startedVia: 'callback', correlationId: event.correlationId, callConnectionId: event.callConnectionId },
      log,
    );
  }

  /** An automatic start (CallConnected or CallStarted) with the configured defaults, through the call's claim. */
  private async startAutomatically(
    serverCallId: string,
    meta: { startedVia: StartedVia; correlationId?: string; callConnectionId?: string },
    log: Logger,
  ): Promise<CallEventOutcome> {
    const { defaults, callbackUri } = this.options;
    const started = await startRecordingForCall(
      this.startDeps(log),
      { target: { serverCallId }, ...defaults, recordingStateCallbackUri: callbackUri },
      meta,
      'callback',
    );
    const event = meta.startedVia === 'callStarted' ? 'CallStarted' : 'CallConnected';
    if (started.outcome === 'skipped') {
      log.info(`${event}: not starting another recording`, { reason: started.reason, recordingId: started.call.recordingId });
      return { outcome: 'skipped', reason: started.reason, recordingId: started.call.recordingId };
    }
    return { outcome: 'started', recordingId: started.result.recordingId };
  }

  private startDeps(log: Logger): StartForCallDeps {
    return {
      recordingClient: this.options.recordingClient,
      store: this.options.store,
      now: this.now,
      claimStaleAfterMs: this.options.claimStaleAfterMs ?? DEFAULT_CLAIM_STALE_AFTER_MS,
      log,
    };
  }

  /**
   * Asks ACS to pause/resume/stop, then notes the accepted action on the recording row. The row read before the ACS
   * call (for its log fields) is the first round of the write, so no second read unless another writer got in between.
   */
  private async runAction(recordingId: string, action: RecordingActionResult['action'], log: Logger): Promise<RecordingActionResult> {
    const ops = recordingRow(this.options.store, recordingId);
    const stored = await ops.get();
    const context = { correlationId: stored?.value.correlationId, serverCallId: stored?.value.serverCallId };
    try {
      await this.options.recordingClient[ACTION_METHODS[action]](recordingId, { ...context, logger: log });
    } catch (e) {
      // A second stop of a recording that has ended: ACS has forgotten it (404), the row says it is over → idempotent.
      const alreadyStopped = action === 'stop' && isAcsRequestError(e) && e.statusCode === 404 && storedRecordingState(stored?.value) === 'stopped';
      if (!alreadyStopped) throw e;
      log.info('Stop of a recording that has already ended; answering stopped', { recordingId, ...context });
    }
    const now = this.now().toISOString();
    const row = await mutateRow(
      ops,
      (current): RecordingRecord | undefined => {
        if (action !== 'stop') return current ? { ...current, lastAction: action, lastActionAt: now, updatedAt: now } : undefined;
        // A stop is recorded even for a recording started elsewhere: GET then reports it as stopped.
        // `state` follows the recording: stopped from now on (later RecordingStateChanged events keep it).
        const stateChangedAt = current?.stoppedAt ? current.stateChangedAt : now;
        return { ...current, recordingId, lastAction: action, lastActionAt: now, stoppedAt: current?.stoppedAt ?? now, state: 'stopped', stateChangedAt, updatedAt: now };
      },
      { snapshot: { row: stored } },
    );
    log.info(`Recording ${action} accepted by ACS`, { recordingId, correlationId: row?.correlationId, serverCallId: row?.serverCallId });
    return { id: toRecordingRouteId(recordingId), recordingId, action, status: action === 'stop' ? 'stopped' : 'accepted' };
  }
}
