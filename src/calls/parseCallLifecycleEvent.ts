// Edge validation of the Event Grid call events `Microsoft.Communication.CallStarted` and `CallEnded`, in the Event
// Grid or CloudEvents schema, and in both payload shapes seen for them: the system-event model of `@azure/eventgrid`
// (`startedBy.communicationIdentifier.rawId`, `callDurationInSeconds`, `reason`) and the Learn event reference
// examples (`startedBy.rawId`, `durationOfCall`). Everything the app acts on is checked here, once; an invalid event
// throws InvalidEventError listing every problem, before anything is started or written.
import { z } from 'zod';
import { MAX_CORRELATION_ID_LENGTH, MAX_SERVER_CALL_ID_LENGTH } from '../shared/acsIds.js';
import { InvalidEventError, readEventEnvelope, type EventSchema } from '../shared/eventGridEnvelope.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export const CALL_STARTED = 'Microsoft.Communication.CallStarted';
export const CALL_ENDED = 'Microsoft.Communication.CallEnded';

/** Fields both events carry. */
export interface CallLifecycleEventBase {
  eventId: string;
  /** `eventTime` / `time` as ISO-8601 (ms precision), when present. */
  eventTime?: string;
  schema: EventSchema;
  serverCallId: string;
  correlationId?: string;
  /** Raw id of who started the call, from either shape of `startedBy`. */
  startedBy?: string;
  groupId?: string;
  roomId?: string;
  isTwoParty?: boolean;
  isRoomsCall?: boolean;
}

export interface CallStartedEvent extends CallLifecycleEventBase {
  kind: 'CallStarted';
}

export interface CallEndedEvent extends CallLifecycleEventBase {
  kind: 'CallEnded';
  /** `callDurationInSeconds` (system-event model) or `durationOfCall` (Learn examples). */
  durationSeconds?: number;
  /** `reason` (system-event model); the Learn examples have none. */
  reason?: { code?: number; subCode?: number; phrase?: string };
}

export type ParsedCallLifecycleEvent = CallStartedEvent | CallEndedEvent | { kind: 'ignored'; eventId?: string; eventType: string };

// Explicit nulls count as absent, as elsewhere in ACS payloads.
const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const text = (max: number) => nullish(z.string().max(max));
const isoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time')
  .transform((s) => new Date(s).toISOString());

// serverCallIds become table keys and log fields: printable ASCII only (real ones are base64 with / + =).
const serverCallId = z
  .string({ message: 'serverCallId is required' })
  .min(1, 'serverCallId is required')
  .max(MAX_SERVER_CALL_ID_LENGTH)
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

/** `{ communicationIdentifier: { rawId } }` (system-event model) or `{ rawId }` (Learn examples). */
const participant = nullish(
  z.object({
    rawId: text(1024),
    communicationIdentifier: nullish(z.object({ rawId: text(1024) })),
    role: text(100),
  }),
);
const idHolder = nullish(z.object({ id: text(200) }));

const baseData = z.object({
  serverCallId,
  correlationId: text(MAX_CORRELATION_ID_LENGTH),
  startedBy: participant,
  group: idHolder,
  room: idHolder,
  isTwoParty: nullish(z.boolean()),
  isRoomsCall: nullish(z.boolean()),
});

const seconds = nullish(z.number().min(0).max(10 * 365 * 24 * 3600));

const endedData = baseData.extend({
  callDurationInSeconds: seconds,
  durationOfCall: seconds,
  reason: nullish(z.object({ code: nullish(z.number().int()), subCode: nullish(z.number().int()), phrase: text(1000) })),
});

const envelopeSchema = z.object({
  id: z.string({ message: 'id is required' }).min(1, 'id is required').max(200),
  subject: text(4096),
  time: nullish(isoTime),
  data: z.unknown(),
});

function issuesOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}

/**
 * The typed CallStarted / CallEnded event of one Event Grid delivery. Other event types come back as `ignored`; an
 * input that is not an event, or a CallStarted/CallEnded that fails any check, throws {@link InvalidEventError}.
 */
export function parseCallLifecycleEvent(input: unknown): ParsedCallLifecycleEvent {
  const env = readEventEnvelope(input);
  const eventId = typeof env?.fields.id === 'string' ? env.fields.id : undefined;
  if (!env?.type) {
    throw new InvalidEventError('The event has no eventType/type: not an Event Grid or CloudEvents event.', eventId, ['eventType: missing']);
  }
  if (env.type !== CALL_STARTED && env.type !== CALL_ENDED) return { kind: 'ignored', eventId, eventType: env.type };

  const envelope = envelopeSchema.safeParse(env.fields);
  const data = (env.type === CALL_ENDED ? endedData : baseData).safeParse(envelope.success ? envelope.data.data : env.fields.data);
  const issues = [...(envelope.success ? [] : issuesOf(envelope.error, '')), ...(data.success ? [] : issuesOf(data.error, 'data'))];
  if (!envelope.success || !data.success) {
    throw new InvalidEventError(`Invalid ${env.type} event: ${issues.join('; ')}`, eventId, issues);
  }

  const d = data.data;
  const base: CallLifecycleEventBase = withoutUndefined({
    eventId: envelope.data.id,
    eventTime: envelope.data.time,
    schema: env.schema,
    serverCallId: d.serverCallId,
    correlationId: d.correlationId,
    startedBy: d.startedBy?.communicationIdentifier?.rawId ?? d.startedBy?.rawId,
    groupId: d.group?.id,
    roomId: d.room?.id,
    isTwoParty: d.isTwoParty,
    isRoomsCall: d.isRoomsCall,
  });
  if (env.type === CALL_STARTED) return { ...base, kind: 'CallStarted' };
  const ended = d as z.infer<typeof endedData>;
  const reason = ended.reason ? withoutUndefined({ code: ended.reason.code, subCode: ended.reason.subCode, phrase: ended.reason.phrase }) : undefined;
  return withoutUndefined({ ...base, kind: 'CallEnded' as const, durationSeconds: ended.callDurationInSeconds ?? ended.durationOfCall, reason });
}
