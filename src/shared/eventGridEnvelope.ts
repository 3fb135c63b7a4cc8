// The envelope of an event an Event Grid trigger receives, in either schema the subscription may deliver: Event Grid
// (`eventType`, `eventTime`, `topic`) or CloudEvents 1.0 (`type`, `time`, `source`, `specversion`). Every Event Grid
// parser reads the envelope through here, so both schemas are recognised the same way everywhere.

/** Which envelope the event came in. */
export type EventSchema = 'EventGrid' | 'CloudEvents';

export interface EventEnvelope {
  schema: EventSchema;
  /** `eventType` / `type`; undefined when the input carries neither (not an event). */
  type?: string;
  /** The envelope fields, schema-neutral, not yet validated. `data` given as a JSON string is parsed. */
  fields: { id: unknown; subject: unknown; time: unknown; data: unknown };
}

/** Reads the envelope of one delivered event; undefined when the input is not even an object. */
export function readEventEnvelope(input: unknown): EventEnvelope | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const raw = input as Record<string, unknown>;
  const cloud = typeof raw.eventType !== 'string' && typeof raw.type === 'string' && ('specversion' in raw || 'source' in raw);
  const schema: EventSchema = cloud ? 'CloudEvents' : 'EventGrid';
  const type = schema === 'CloudEvents' ? (raw.type as string) : typeof raw.eventType === 'string' ? raw.eventType : undefined;
  return {
    schema,
    type,
    fields: {
      id: raw.id,
      subject: raw.subject,
      time: schema === 'EventGrid' ? raw.eventTime : raw.time,
      data: typeof raw.data === 'string' ? safeJson(raw.data) : raw.data,
    },
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/**
 * An event that failed validation at the edge: nothing was started or requested. Event Grid triggers rethrow it so
 * the invocation fails, Event Grid retries and finally dead-letters the event, where an operator finds it.
 */
export class InvalidEventError extends Error {
  override readonly name: string = 'InvalidEventError';
  constructor(
    message: string,
    /** The event id, if the envelope had one. */
    readonly eventId: string | undefined,
    /** One line per problem found (field path: reason). */
    readonly issues: string[],
  ) {
    super(message);
  }
}
