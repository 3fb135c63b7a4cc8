// The recording state machine (reference §1.3–§1.6, §1.10):
//   start → inactive ──activationDelayMs──▶ active (RecordingStateChanged active)   [pauseOnStart: stays inactive]
//   pause → inactive (RecordingStateChanged inactive)      resume → active (RecordingStateChanged active)
//   stop  → stopped, files minted (setNextRecordingFiles or defaultChunks)
// State callbacks go only to recordingStateCallbackUri (reference §8.6 leaves open whether the call's callbackUri
// also gets them), with a fresh JWT, fire-and-forget with bounded retries.
import { randomUUID } from 'node:crypto';
import { AcsErrors } from '../errors/acsErrors.js';
import { postCallAutomationCallback } from '../events/postCallAutomationCallback.js';
import { recordingStateChangedEvent } from '../events/recordingStateChanged.js';
import { mintRecordingId } from '../ids/mintRecordingId.js';
import { mintServerCallId } from '../ids/mintServerCallId.js';
import { mintRecordingFiles } from '../media/mintRecordingFiles.js';
import type { EmulatorRuntime } from '../runtime.js';
import type { EmulatorCall, RecordingEntry } from '../store/RecordingStore.js';
import type { EmulatorRecording, RecordingFilesSpec } from '../types.js';
import { DEFAULT_DELIVERY_RETRIES } from '../defaults.js';

/** A start request after validation: every field typed, defaults applied. */
export interface StartRecordingInput {
  target: { serverCallId: string } | { callConnectionId: string };
  content: EmulatorRecording['content'];
  channel: EmulatorRecording['channel'];
  format: EmulatorRecording['format'];
  pauseOnStart: boolean;
  recordingStateCallbackUri?: string;
  channelAffinity?: unknown;
  audioChannelParticipantOrdering?: unknown;
  startRequestBody: unknown;
}

/** Participants of calls the emulator registers itself: one ACS user and one PSTN caller. */
function defaultParticipants(resourceId: string): string[] {
  return [`8:acs:${resourceId}_${randomUUID()}`, '4:+14255550123'];
}

function sizesOf(spec: RecordingFilesSpec): number[] {
  const sizes = 'sizesBytes' in spec ? [...spec.sizesBytes] : Array.from({ length: spec.count }, () => spec.sizeBytes);
  if (sizes.length === 0) throw new RangeError('a recording needs at least one file');
  for (const s of sizes) if (!Number.isSafeInteger(s) || s < 0) throw new RangeError(`file sizes must be non-negative integers, got ${s}`);
  return sizes;
}

export class RecordingLifecycle {
  private nextFiles?: number[];

  constructor(private readonly rt: EmulatorRuntime) {}

  /** Registers a call (from simulateCall, or on the fly); a call that is already known is returned as is. */
  registerCall(ids: Partial<Pick<EmulatorCall, 'serverCallId' | 'callConnectionId' | 'correlationId'>> = {}): EmulatorCall {
    const known =
      (ids.serverCallId !== undefined ? this.rt.store.callByServerCallId(ids.serverCallId) : undefined) ??
      (ids.callConnectionId !== undefined ? this.rt.store.callByConnectionId(ids.callConnectionId) : undefined);
    if (known) return known;
    return this.rt.store.addCall({
      serverCallId: ids.serverCallId ?? mintServerCallId(),
      callConnectionId: ids.callConnectionId ?? randomUUID(),
      correlationId: ids.correlationId ?? randomUUID(),
      participants: defaultParticipants(this.rt.options.resourceId),
      ended: false,
    });
  }

  private resolveCall(target: StartRecordingInput['target']): EmulatorCall {
    const known = 'serverCallId' in target ? this.rt.store.callByServerCallId(target.serverCallId) : this.rt.store.callByConnectionId(target.callConnectionId);
    if (known) {
      if (known.ended) throw AcsErrors.callNotFound();
      return known;
    }
    if (this.rt.options.unknownCalls === 'reject') throw AcsErrors.callNotFound();
    return this.registerCall(target);
  }

  start(input: StartRecordingInput): EmulatorRecording {
    const call = this.resolveCall(input.target);
    if (this.rt.store.runningRecordingOf(call)) throw AcsErrors.recordingInProgress();
    const recording: EmulatorRecording = {
      recordingId: mintRecordingId(),
      serverCallId: call.serverCallId,
      callConnectionId: call.callConnectionId,
      state: 'inactive',
      content: input.content,
      channel: input.channel,
      format: input.format,
      pauseOnStart: input.pauseOnStart,
      recordingStateCallbackUri: input.recordingStateCallbackUri,
      startRequestBody: input.startRequestBody,
      startTime: new Date(),
      chunks: [],
      channelAffinity: input.channelAffinity,
      audioChannelParticipantOrdering: input.audioChannelParticipantOrdering,
    };
    const entry: RecordingEntry = { recording, call, pauses: [] };
    if (input.pauseOnStart) entry.pauses.push({ start: recording.startTime });
    this.rt.store.addRecording(entry);
    // Activation (or, with pauseOnStart, the confirmation that the recording started paused) happens later,
    // like the real service's inactive → active a few seconds after start.
    entry.activationTimer = setTimeout(() => {
      entry.activationTimer = undefined;
      if (recording.state !== 'inactive') return;
      if (input.pauseOnStart) this.notify(entry, 'inactive');
      else this.transition(entry, 'active');
    }, this.rt.options.activationDelayMs);
    entry.activationTimer.unref();
    return recording;
  }

  /** The entry of a recording that exists and is not stopped; otherwise the 404 the service answers. */
  running(recordingId: string): RecordingEntry {
    const entry = this.rt.store.entry(recordingId);
    if (!entry || entry.recording.state === 'stopped') throw AcsErrors.recordingNotFound();
    return entry;
  }

  pause(recordingId: string): void {
    const entry = this.running(recordingId);
    this.cancelActivation(entry);
    if (!entry.pauses.some((p) => !p.end)) entry.pauses.push({ start: new Date() });
    this.transition(entry, 'inactive');
  }

  resume(recordingId: string): void {
    const entry = this.running(recordingId);
    this.cancelActivation(entry);
    const open = entry.pauses.find((p) => !p.end);
    if (open) open.end = new Date();
    this.transition(entry, 'active');
  }

  stop(recordingId: string): EmulatorRecording {
    const entry = this.running(recordingId);
    this.finish(entry);
    return entry.recording;
  }

  /** Ends a call: its running recording stops and gets files, later starts on it answer 404. */
  endCall(call: EmulatorCall): void {
    call.ended = true;
    const running = this.rt.store.runningRecordingOf(call);
    if (running) this.finish(running);
  }

  setNextFiles(spec: RecordingFilesSpec): void {
    this.nextFiles = sizesOf(spec);
  }

  /** A stopped recording with files and no HTTP involved (archive tests, benchmarks). */
  createWithFiles(o: {
    chunks: number | number[];
    serverCallId?: string;
    content?: EmulatorRecording['content'];
    channel?: EmulatorRecording['channel'];
    format?: EmulatorRecording['format'];
  }): EmulatorRecording {
    const content = o.content ?? 'audio';
    const channel = o.channel ?? 'mixed';
    const format = o.format ?? (content === 'audioVideo' ? 'mp4' : 'wav');
    const sizes = typeof o.chunks === 'number' ? sizesOf({ count: o.chunks, sizeBytes: this.rt.options.defaultChunks.sizeBytes }) : sizesOf({ sizesBytes: o.chunks });
    const call = this.registerCall({ serverCallId: o.serverCallId });
    const now = new Date();
    const recording: EmulatorRecording = {
      recordingId: mintRecordingId(),
      serverCallId: call.serverCallId,
      callConnectionId: call.callConnectionId,
      state: 'stopped',
      content,
      channel,
      format,
      pauseOnStart: false,
      startRequestBody: undefined,
      startTime: now,
      stopTime: now,
      chunks: [],
    };
    const entry: RecordingEntry = { recording, call, pauses: [] };
    this.rt.store.addRecording(entry);
    this.attachFiles(entry, sizes);
    return recording;
  }

  private finish(entry: RecordingEntry): void {
    this.cancelActivation(entry);
    const stopTime = new Date();
    const open = entry.pauses.find((p) => !p.end);
    if (open) open.end = stopTime;
    entry.recording.state = 'stopped';
    entry.recording.stopTime = stopTime;
    const sizes = this.nextFiles ?? sizesOf(this.rt.options.defaultChunks);
    this.nextFiles = undefined;
    this.attachFiles(entry, sizes);
  }

  private attachFiles(entry: RecordingEntry, sizes: number[]): void {
    const docs = mintRecordingFiles(entry, sizes, { mediaOrigin: this.rt.mediaOrigin, resourceId: this.rt.options.resourceId });
    for (const doc of docs) {
      this.rt.store.addDocument(doc);
      entry.recording.chunks.push(doc.chunk);
    }
  }

  private cancelActivation(entry: RecordingEntry): void {
    if (entry.activationTimer) clearTimeout(entry.activationTimer);
    entry.activationTimer = undefined;
  }

  private transition(entry: RecordingEntry, state: 'active' | 'inactive'): void {
    entry.recording.state = state;
    this.notify(entry, state);
  }

  /** Posts RecordingStateChanged to the recording's callback URI, if it has one. Never throws. */
  private notify(entry: RecordingEntry, state: 'active' | 'inactive'): void {
    const url = entry.recording.recordingStateCallbackUri;
    if (!url) return;
    const event = recordingStateChangedEvent(entry.recording, entry.call, state);
    void postCallAutomationCallback(this.rt, url, event, DEFAULT_DELIVERY_RETRIES).catch(() => undefined /* recorded in deliveries */);
  }
}
