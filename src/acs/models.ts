// Typed shapes of the ACS recording REST API (api-version 2026-03-12) as this app uses them, and the one list of each
// recording enum (content, channel, format, state, kind) that settings, the control API, the Event Grid event and the
// archive plan validate against. Wire enums are camelCase here; the Event Grid event uses PascalCase (its parser
// matches these case-insensitively).
import type { Logger } from '../shared/logging.js';
import type { Readable } from 'node:stream';
import type { OpenEnum } from './knownEnumValue.js';

export const RECORDING_CONTENTS = ['audio', 'audioVideo'] as const;
export const RECORDING_CHANNELS = ['mixed', 'unmixed'] as const;
export const RECORDING_FORMATS = ['wav', 'mp3', 'mp4'] as const;
export type RecordingContent = (typeof RECORDING_CONTENTS)[number];
export type RecordingChannel = (typeof RECORDING_CHANNELS)[number];
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];

export const RECORDING_STATES = ['active', 'inactive'] as const;
export const RECORDING_KINDS = ['azureCommunicationServices', 'teams', 'teamsCompliance'] as const;
/** A known state in camelCase, or a value ACS added later, kept as sent (see knownEnumValue.ts). */
export type RecordingState = OpenEnum<(typeof RECORDING_STATES)[number]>;
export type RecordingKind = OpenEnum<(typeof RECORDING_KINDS)[number]>;

/** ACS `CommunicationIdentifierModel` as sent in requests. */
export interface CommunicationIdentifierModel {
  kind?: 'communicationUser' | 'phoneNumber' | 'microsoftTeamsUser' | 'microsoftTeamsApp' | 'teamsExtensionUser' | 'unknown';
  rawId?: string;
  communicationUser?: { id: string };
  phoneNumber?: { value: string; isAnonymous?: boolean; assertedId?: string };
  microsoftTeamsUser?: { userId: string; isAnonymous?: boolean; cloud?: 'public' | 'dod' | 'gcch' };
  microsoftTeamsApp?: { appId: string; cloud?: 'public' | 'dod' | 'gcch' };
  teamsExtensionUser?: { userId: string; tenantId: string; resourceId: string; cloud?: 'public' | 'dod' | 'gcch' };
}

export interface ChannelAffinity {
  channel: number;
  participant: CommunicationIdentifierModel;
}

/** Which call to record: by server call ID (call locator) or by Call Automation call connection ID. */
export type CallTarget = { serverCallId: string } | { callConnectionId: string };

export interface StartRecordingRequest {
  target: CallTarget;
  content: RecordingContent;
  channel: RecordingChannel;
  format: RecordingFormat;
  pauseOnStart?: boolean;
  recordingStateCallbackUri?: string;
  channelAffinity?: ChannelAffinity[];
  audioChannelParticipantOrdering?: CommunicationIdentifierModel[];
}

/** ACS `RecordingStateResponse`. */
export interface RecordingStateResult {
  recordingId: string;
  recordingState: RecordingState;
  recordingKind?: RecordingKind;
}

/** Per-call options shared by every client operation. */
export interface OperationOptions {
  abortSignal?: AbortSignal;
  /** Log context for this operation. */
  correlationId?: string;
  serverCallId?: string;
  /** Where this operation's attempt and retry lines go: the invocation's logger (default: the client's logger). */
  logger?: Logger;
}

/** Options of {@link AcsRecordingClient.startRecording}. */
export interface StartRecordingOptions extends OperationOptions {
  /** Idempotency key sent as `Repeatability-Request-ID`; a UUID is generated when absent. */
  repeatabilityRequestId?: string;
  /** Sent as `Repeatability-First-Sent`; defaults to now. */
  repeatabilityFirstSent?: Date;
}

/** The recording control operations of ACS Call Automation. */
export interface AcsRecordingClient {
  startRecording(request: StartRecordingRequest, options?: StartRecordingOptions): Promise<RecordingStateResult>;
  getRecordingState(recordingId: string, options?: OperationOptions): Promise<RecordingStateResult>;
  pauseRecording(recordingId: string, options?: OperationOptions): Promise<void>;
  resumeRecording(recordingId: string, options?: OperationOptions): Promise<void>;
  stopRecording(recordingId: string, options?: OperationOptions): Promise<void>;
}

/** A byte range of a recording file as served by ACS storage. */
export interface MediaDownload {
  /** 200 (whole file) or 206 (range). */
  status: number;
  /** The body, streamed; never buffered by the client. */
  body: Readable;
  /** Bytes in this response (`Content-Length`), if sent. */
  contentLength?: number;
  /** First byte offset of this response in the file (0 on a 200). */
  start: number;
  /** Total file size from `Content-Range`, or `Content-Length` on a 200, if known. */
  totalSize?: number;
  contentType?: string;
}

export interface MediaDownloadOptions extends OperationOptions {
  /** Byte offset to start from (sends `Range: bytes=<offset>-`). */
  offset?: number;
  /** Number of bytes from `offset` (sends `Range: bytes=<offset>-<offset+length-1>`). */
  length?: number;
  recordingId?: string;
}

/** Downloads and deletes recording files by the `contentLocation`/`metadataLocation`/`deleteLocation` URLs. */
export interface AcsMediaClient {
  /** One attempt, no retries: the caller (the transfer engine) owns the quick retries of a file read. */
  download(url: string, options?: MediaDownloadOptions): Promise<MediaDownload>;
  /** Deletes the chunk's source files; success is ACS's 200. */
  delete(url: string, options?: MediaDownloadOptions): Promise<void>;
}
