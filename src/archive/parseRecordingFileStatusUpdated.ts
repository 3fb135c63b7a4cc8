// Edge validation of Microsoft.Communication.RecordingFileStatusUpdated, in Event Grid or CloudEvents schema.
// Everything the archive later relies on is checked here, once: identifiers (they become blob names and tags),
// chunk fields, enum values, and above all every URL against ACS_MEDIA_ALLOWED_ORIGINS, so a forged event can never
// make the app send a signed request to a foreign host; and every download URL must name its chunk's documentId.
import { z } from 'zod';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS, type RecordingChannel, type RecordingContent, type RecordingFormat } from '../acs/models.js';
import { isAllowedMediaUrl } from '../acs/mediaUrlAllowList.js';
import { MAX_CALL_ID_LENGTH, MAX_RECORDING_ID_LENGTH, MAX_SERVER_CALL_ID_LENGTH, recordingIdProblem } from '../shared/acsIds.js';
import type { ChunkRef, RecordingRef } from './archiveModels.js';
import { InvalidRecordingEventError } from './archiveErrors.js';
import { locationNamesDocument } from './chunkLocation.js';
import { parseRecordingSubject } from './parseRecordingSubject.js';
import { readEventEnvelope, type EventSchema } from '../shared/eventGridEnvelope.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export const RECORDING_FILE_STATUS_UPDATED = 'Microsoft.Communication.RecordingFileStatusUpdated';

export type { EventSchema } from '../shared/eventGridEnvelope.js';

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

// documentIds become part of blob names and tags: keep them to a conservative, path-safe alphabet
// (documented examples: `0-eus-d12-801b3f3fc462fe8a01e6810cbff729b8`).
const documentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be 1-200 characters of A-Z a-z 0-9 . _ -');
// Base64-ish identifiers from the subject; printable ASCII only, since they go into blob metadata headers.
const printableId = (max: number) =>
  z.string().min(1).max(max).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

const httpUrl = z.string().max(2048).refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time');

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

const chunkSchema = z.object({
  documentId,
  index: z.number().int().min(0).max(100_000),
  endReason: z.string().max(200),
  contentLocation: httpUrl,
  metadataLocation: httpUrl,
  deleteLocation: httpUrl,
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
    for (const [field, value, max] of [
      ['callId', subject.callId, MAX_CALL_ID_LENGTH],
      ['serverCallId', subject.serverCallId, MAX_SERVER_CALL_ID_LENGTH],
      ['recordingId', subject.recordingId, MAX_RECORDING_ID_LENGTH],
    ] as const) {
      if (value === undefined) continue;
      const r = printableId(max).safeParse(value);
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
  const chunks: ChunkRef[] = [...d.recordingStorageInfo.recordingChunks]
    .sort((a, b) => a.index - b.index)
    .map((c) => ({
      documentId: c.documentId,
      index: c.index,
      endReason: c.endReason,
      contentLocation: c.contentLocation,
      metadataLocation: c.metadataLocation,
      deleteLocation: c.deleteLocation,
    }));
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
