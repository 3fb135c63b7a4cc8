// In-memory state of the emulated resource: calls, recordings, recording files and repeatability keys.
// Pure bookkeeping — no HTTP, no timers; handlers and the emulator facade decide what happens.
import type { CallEventFacts, CallEventShape } from '../events/callLifecycleEvents.js';
import type { EventSchema } from '../events/publishEventGridEvent.js';
import type { EmulatorChunk, EmulatorRecording } from '../types.js';

/** A call the emulator knows about (from simulateCall, or registered on the fly by a start). */
export interface EmulatorCall {
  serverCallId: string;
  callConnectionId: string;
  correlationId: string;
  /** Raw ids (MRIs) of the participants; used for recording metadata. */
  participants: string[];
  ended: boolean;
  /**
   * What the call's Event Grid CallStarted / CallEnded carry; `url` is set when the call publishes them
   * (simulateCall's `callStarted`), not when they were only built.
   */
  events?: { url?: string; schema: EventSchema; shape: CallEventShape; facts: CallEventFacts; startedAt: Date };
}

/** A recording plus the emulator-private facts about it. */
export interface RecordingEntry {
  recording: EmulatorRecording;
  call: EmulatorCall;
  /** Pause intervals in wall-clock time; the open one has no `end`. */
  pauses: { start: Date; end?: Date }[];
  /** Pending inactive → active transition. */
  activationTimer?: NodeJS.Timeout;
}

/** A recording file and what is needed to serve it. */
export interface DocumentEntry {
  chunk: EmulatorChunk;
  recordingId: string;
  /** Path segment of the content URL: `video` for audioVideo, `audio` otherwise. */
  contentKind: 'audio' | 'video';
  /** The recording's format: the media file starts with its container header. */
  format: EmulatorRecording['format'];
  metadataBytes: Buffer;
}

export class RecordingStore {
  private readonly calls = new Map<string, EmulatorCall>();
  private readonly callsByConnection = new Map<string, EmulatorCall>();
  private readonly recordings = new Map<string, RecordingEntry>();
  private readonly documents = new Map<string, DocumentEntry>();
  private readonly repeatability = new Map<string, { recordingId: string; responseBody: object }>();

  addCall(call: EmulatorCall): EmulatorCall {
    this.calls.set(call.serverCallId, call);
    this.callsByConnection.set(call.callConnectionId, call);
    return call;
  }

  callByServerCallId(serverCallId: string): EmulatorCall | undefined {
    return this.calls.get(serverCallId);
  }

  callByConnectionId(callConnectionId: string): EmulatorCall | undefined {
    return this.callsByConnection.get(callConnectionId);
  }

  addRecording(entry: RecordingEntry): void {
    this.recordings.set(entry.recording.recordingId, entry);
  }

  entry(recordingId: string): RecordingEntry | undefined {
    return this.recordings.get(recordingId);
  }

  allEntries(): RecordingEntry[] {
    return [...this.recordings.values()];
  }

  /** The call's recording that is not stopped yet, if any. */
  runningRecordingOf(call: EmulatorCall): RecordingEntry | undefined {
    return this.allEntries().find((e) => e.call === call && e.recording.state !== 'stopped');
  }

  addDocument(doc: DocumentEntry): void {
    this.documents.set(doc.chunk.documentId, doc);
  }

  document(documentId: string): DocumentEntry | undefined {
    return this.documents.get(documentId);
  }

  rememberStart(repeatabilityRequestId: string, recordingId: string, responseBody: object): void {
    this.repeatability.set(repeatabilityRequestId, { recordingId, responseBody });
  }

  startFor(repeatabilityRequestId: string): { recordingId: string; responseBody: object } | undefined {
    return this.repeatability.get(repeatabilityRequestId);
  }
}
