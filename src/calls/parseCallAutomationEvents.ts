// Validates a whole Call Automation callback body before anything acts on it: one bad element fails the request
// with every problem listed, and nothing is started or recorded.
import { z } from 'zod';
import { knownEnumValue } from '../acs/knownEnumValue.js';
import { RECORDING_KINDS, RECORDING_STATES } from '../acs/models.js';
import {
  MAX_CALL_CONNECTION_ID_LENGTH,
  MAX_CORRELATION_ID_LENGTH,
  MAX_SERVER_CALL_ID_LENGTH,
  recordingIdProblem,
} from '../shared/acsIds.js';
import { ValidationError } from '../shared/errors.js';
import { CALL_AUTOMATION_EVENT_PREFIX, type CallAutomationEvent, type CallEventBase } from './callAutomationEvents.js';
import { zodIssues, type FieldIssue } from './zodIssues.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

/** More elements than any real delivery holds: a bigger body is refused rather than processed for minutes. */
export const MAX_EVENTS_PER_CALLBACK = 100;

// ACS sends explicit nulls for absent optional fields in places; treat them as absent.
const optionalString = z.string().nullish().transform((v) => v ?? undefined);
const optionalId = (max: number) => z.string().max(max).nullish().transform((v) => v ?? undefined);
// Ids are capped (src/shared/acsIds.ts) so an oversized one is a 400 here, not a refusal of the state table later.
const recordingId = z
  .string({ message: 'recordingId is required' })
  .min(1, 'recordingId is required')
  .superRefine((v, ctx) => {
    const problem = recordingIdProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: `recordingId ${problem}` });
  });
const isoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be an ISO-8601 date-time' })
  .transform((s) => new Date(s).toISOString());

const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  time: isoTime.nullish().transform((v) => v ?? undefined),
  specversion: z.literal('1.0').optional(),
  data: z.unknown().optional(),
});

const resultInformationSchema = z
  .object({ code: z.number().nullish(), subCode: z.number().nullish(), message: z.string().nullish() })
  .nullish()
  .transform((r) => (r ? withoutUndefined({ code: r.code ?? undefined, subCode: r.subCode ?? undefined, message: r.message ?? undefined }) : undefined)) as z.ZodType<{ code?: number; subCode?: number; message?: string } | undefined>;

const callDataSchema = z.object({
  serverCallId: z.string({ message: 'serverCallId is required' }).min(1, 'serverCallId is required').max(MAX_SERVER_CALL_ID_LENGTH),
  callConnectionId: optionalId(MAX_CALL_CONNECTION_ID_LENGTH),
  correlationId: optionalId(MAX_CORRELATION_ID_LENGTH),
});

const dataSchemas = {
  CallConnected: callDataSchema,
  CallDisconnected: callDataSchema.extend({ resultInformation: resultInformationSchema }),
  RecordingStateChanged: callDataSchema.extend({
    recordingId,
    state: z.string({ message: 'state is required' }).min(1, 'state is required').transform((v) => knownEnumValue(RECORDING_STATES, v)),
    startDateTime: optionalString,
    recordingKind: optionalString.transform((v) => (v === undefined ? undefined : knownEnumValue(RECORDING_KINDS, v))),
  }),
  StartRecordingFailed: callDataSchema.extend({ recordingId: recordingId.nullish().transform((v) => v ?? undefined), resultInformation: resultInformationSchema }),
} as const;

type KnownKind = keyof typeof dataSchemas;

function knownKind(type: string): KnownKind | undefined {
  if (!type.startsWith(CALL_AUTOMATION_EVENT_PREFIX)) return undefined;
  const name = type.slice(CALL_AUTOMATION_EVENT_PREFIX.length);
  return Object.hasOwn(dataSchemas, name) ? (name as KnownKind) : undefined;
}

/**
 * The typed events of a callback body (already JSON-parsed). Throws {@link ValidationError} listing every problem
 * when the body is not an array of CloudEvents, or an acted-on event lacks `serverCallId` (or its own fields).
 * Unknown event types only need the envelope and come back as `kind: 'ignored'`.
 */
export function parseCallAutomationEvents(body: unknown): CallAutomationEvent[] {
  if (!Array.isArray(body)) throw new ValidationError('The callback body must be a JSON array of CloudEvents');
  if (body.length > MAX_EVENTS_PER_CALLBACK) {
    throw new ValidationError(`The callback body holds ${body.length} events; at most ${MAX_EVENTS_PER_CALLBACK} are accepted`);
  }
  const issues: FieldIssue[] = [];
  const events: CallAutomationEvent[] = [];
  body.forEach((element: unknown, index) => {
    const envelope = envelopeSchema.safeParse(element);
    if (!envelope.success) {
      issues.push(...zodIssues(envelope.error, [index]));
      return;
    }
    const { id, type, time } = envelope.data;
    const kind = knownKind(type);
    if (!kind) {
      events.push({ kind: 'ignored', eventId: id, type });
      return;
    }
    const data = dataSchemas[kind].safeParse(envelope.data.data ?? undefined);
    if (!data.success) {
      issues.push(...zodIssues(data.error, [index, 'data']));
      return;
    }
    const base: CallEventBase = { eventId: id, type, time, ...data.data };
    events.push({ ...base, kind } as CallAutomationEvent);
  });
  if (issues.length) throw new ValidationError('The callback body is not a valid array of Call Automation events', issues);
  return events;
}
