// Edge validation of Microsoft.Communication.RecordingFileStatusUpdated, in Event Grid or CloudEvents schema.
// Everything the archive later relies on is checked here, once: identifiers (they become blob names and tags),
// chunk fields, enum values, and above all every URL against ACS_MEDIA_ALLOWED_ORIGINS, so a forged event can never
// make the app send a signed request to a foreign host; and every download URL must name its chunk's documentId.
// The allow-list is checked twice per URL in all: here at the edge, and by the ACS media client before it signs a
// request (the last line of defence); nothing in between checks it again. The chunk and recording-id schemas are
// the archive plan's (archivePlan.ts), so the event and the stored plan obey the same limits.
import { z } from 'zod';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS, type RecordingChannel, type RecordingContent, type RecordingFormat } from '../acs/models.js';
import { isAllowedMediaUrl } from '../acs/mediaUrlAllowList.js';
import { recordingIdProblem } from '../shared/acsIds.js';
import { chunkSchema, isoDate, recordingIdFields, type ChunkRef, type RecordingRef } from './archivePlan.js';
import { InvalidRecordingEventError } from './archiveErrors.js';
import { locationNamesDocument } from './chunkLocation.js';
import { readEventEnvelope, type EventSchema } from '../shared/eventGridEnvelope.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export const RECORDING_FILE_STATUS_UPDATED = 'Microsoft.Communication.RecordingFileStatusUpdated';

/** A validated RecordingFileStatusUpdated event. */
export interface RecordingFileStatusUpdated {
  eventId: string;
  eventTime?: string;
  schema: EventSchema;
  recording: RecordingRef;
  /** Sorted by index; unique indexes and document ids. */
  chunks: ChunkRef[];
}

export type ParsedRecordingEvent =
  | { kind: 'recordingFileStatusUpdated'; event: RecordingFileStatusUpdated }
  | { kind: 'ignored'; eventId?: string; eventType?: string };

/** Upper bound on chunks per event: ACS chunks are up to 4 h each, so this is far beyond any real recording. */
export const MAX_CHUNKS_PER_EVENT = 500;

// The event's enums are PascalCase (`AudioVideo`, `Mixed`, `Mp4`); the app uses the REST API's camelCase.
const pascalEnum = <T extends string>(values: readonly T[]) =>
  z.string().transform((v, ctx) => {
    const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!hit) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (got "${v}")` });
      return z.NEVER;
    }
    return hit;
  });

const dataSchema = z.object({
  recordingStorageInfo: z.object({ recordingChunks: z.array(chunkSchema).max(MAX_CHUNKS_PER_EVENT) }),
  recordingStartTime: isoDate.optional(),
  recordingDurationMs: z.number().min(0).optional(),
  recordingContentType: pascalEnum<RecordingContent>(RECORDING_CONTENTS).optional(),
  recordingChannelType: pascalEnum<RecordingChannel>(RECORDING_CHANNELS).optional(),
  recordingFormatType: pascalEnum<RecordingFormat>(RECORDING_FORMATS).optional(),
  sessionEndReason: z.string().max(200).optional(),
  // Private-preview BYOS payloads carry it; when present it must agree with the subject.
  recordingId: z.string().optional(),
});

const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  subject: z.string().min(1).max(4096),
  time: isoDate.optional(),
  data: z.unknown(),
});

function issuesOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}

// The subject of RecordingFileStatusUpdated carries the recording's identifiers:
//   /recording/call/{callId}/serverCallId/{serverCallId}/recordingId/{recordingId}   (current, Learn)
//   /recording/call/{callId}/recordingId/{recordingId}                                (older examples)
// serverCallId and recordingId are base64 and may themselves contain '/', so the split is anchored on the markers
// (last `/recordingId/`, first `/serverCallId/`) rather than on slashes.

export interface RecordingSubject {
  callId: string;
  serverCallId?: string;
  recordingId: string;
}

const PREFIX = '/recording/call/';
const RECORDING_MARKER = '/recordingId/';
const SERVER_CALL_MARKER = '/serverCallId/';

/** Parses the subject, or returns undefined if it does not have one of the two documented shapes. */
export function parseRecordingSubject(subject: string): RecordingSubject | undefined {
  if (!subject.startsWith(PREFIX)) return undefined;
  const rest = subject.slice(PREFIX.length);
  const r = rest.lastIndexOf(RECORDING_MARKER);
  if (r < 0) return undefined;
  const recordingId = rest.slice(r + RECORDING_MARKER.length);
  const head = rest.slice(0, r);
  const s = head.indexOf(SERVER_CALL_MARKER);
  const callId = s < 0 ? head : head.slice(0, s);
  const serverCallId = s < 0 ? undefined : head.slice(s + SERVER_CALL_MARKER.length);
  if (!callId || callId.includes('/') || !recordingId || serverCallId === '') return undefined;
  return serverCallId === undefined ? { callId, recordingId } : { callId, serverCallId, recordingId };
}

/**
 * Validates an event delivered to the Event Grid trigger. Other event types come back as `ignored`; a
 * RecordingFileStatusUpdated that fails any check throws {@link InvalidRecordingEventError} listing every problem.
 *
 * @param allowedOrigins `getConfig().mediaAllowedOrigins`: every chunk URL must match one of them.
 */
export function parseRecordingFileStatusUpdated(input: unknown, allowedOrigins: readonly string[]): ParsedRecordingEvent {
  const env = readEventEnvelope(input);
  const eventId = typeof env?.fields.id === 'string' ? env.fields.id : undefined;
  if (!env?.type) {
    throw new InvalidRecordingEventError('The event has no eventType/type: not an Event Grid or CloudEvents event.', eventId, ['eventType: missing']);
  }
  if (env.type !== RECORDING_FILE_STATUS_UPDATED) return { kind: 'ignored', eventId, eventType: env.type };

  const issues: string[] = [];
  const envelope = envelopeSchema.safeParse(env.fields);
  if (!envelope.success) issues.push(...issuesOf(envelope.error, ''));

  const subject = envelope.success ? parseRecordingSubject(envelope.data.subject) : undefined;
  if (envelope.success && !subject) {
    issues.push('subject: must be /recording/call/{callId}[/serverCallId/{serverCallId}]/recordingId/{recordingId}');
  }
  if (subject) {
    for (const field of ['callId', 'serverCallId', 'recordingId'] as const) {
      const value = subject[field];
      if (value === undefined) continue;
      const r = recordingIdFields[field].safeParse(value);
      if (!r.success) issues.push(...issuesOf(r.error, `subject.${field}`));
    }
    const problem = recordingIdProblem(subject.recordingId);
    if (problem) issues.push(`subject.recordingId: ${problem}`);
  }

  const data = envelope.success ? dataSchema.safeParse(envelope.data.data) : undefined;
  if (data && !data.success) issues.push(...issuesOf(data.error, 'data'));

  if (data?.success) {
    const chunks = data.data.recordingStorageInfo.recordingChunks;
    chunks.forEach((c, i) => {
      for (const field of ['contentLocation', 'metadataLocation', 'deleteLocation'] as const) {
        if (!isAllowedMediaUrl(c[field], allowedOrigins)) {
          // Name only the origin: the path may identify the recording and is never needed to diagnose this.
          issues.push(`data.recordingStorageInfo.recordingChunks.${i}.${field}: origin ${originOf(c[field])} is not in ACS_MEDIA_ALLOWED_ORIGINS`);
        }
      }
      // Bound to the chunk: a download URL that does not name its documentId may fetch another recording's object.
      // (A deleteLocation that does not is kept and never called: see deleteVerifiedSource.)
      for (const field of ['contentLocation', 'metadataLocation'] as const) {
        if (!locationNamesDocument(c[field], c.documentId)) {
          issues.push(`data.recordingStorageInfo.recordingChunks.${i}.${field}: does not name the chunk's documentId as a path segment`);
        }
      }
    });
    const dupIndex = duplicates(chunks.map((c) => c.index));
    const dupDoc = duplicates(chunks.map((c) => c.documentId));
    if (dupIndex.length) issues.push(`data.recordingStorageInfo.recordingChunks: duplicate index ${dupIndex.join(', ')}`);
    if (dupDoc.length) issues.push(`data.recordingStorageInfo.recordingChunks: duplicate documentId ${dupDoc.join(', ')}`);
    if (subject && data.data.recordingId !== undefined && data.data.recordingId !== subject.recordingId) {
      issues.push('data.recordingId: does not match the recordingId in the subject');
    }
  }

  if (issues.length || !envelope.success || !subject || !data?.success) {
    throw new InvalidRecordingEventError(`Invalid ${RECORDING_FILE_STATUS_UPDATED} event: ${issues.join('; ')}`, eventId, issues);
  }

  const d = data.data;
  const recording: RecordingRef = {
    recordingId: subject.recordingId,
    serverCallId: subject.serverCallId,
    callId: subject.callId,
    recordingStartTime: d.recordingStartTime,
    recordingDurationMs: d.recordingDurationMs,
    content: d.recordingContentType,
    channel: d.recordingChannelType,
    format: d.recordingFormatType,
    sessionEndReason: d.sessionEndReason,
  };
  // Sorted here, once: the plan, the instance id's chunk set and the orchestration's fan-out all take this order.
  const chunks: ChunkRef[] = [...d.recordingStorageInfo.recordingChunks].sort((a, b) => a.index - b.index);
  return {
    kind: 'recordingFileStatusUpdated',
    event: { eventId: envelope.data.id, eventTime: envelope.data.time, schema: env.schema, recording: withoutUndefined(recording), chunks },
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<invalid url>';
  }
}

function duplicates<T>(values: T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
