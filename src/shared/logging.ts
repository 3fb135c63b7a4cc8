// One small logging contract for the whole app: a message plus structured fields. Every log line about a call
// carries correlationId, serverCallId and recordingId when known, each once (a URL or blob name that contains one
// shows `{recordingId}` instead); URLs go through redactUrl first.
import type { InvocationContext } from '@azure/functions';
import { withoutUndefined } from './withoutUndefined.js';

export interface LogFields {
  correlationId?: string;
  serverCallId?: string;
  recordingId?: string;
  [key: string]: unknown;
}

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  with(fields: LogFields): Logger;
}

type Sink = (level: 'info' | 'warn' | 'error', line: string) => void;

/** The ids a line names in their own fields; other values that repeat them say `{name}` instead. */
const ID_FIELDS = ['recordingId', 'serverCallId', 'documentId', 'correlationId'] as const;

/** The spellings of an id inside other values: as is, URL-encoded, and base64url (blob folders). */
function spellings(id: string): string[] {
  const forms = [id, encodeURIComponent(id), id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/**
 * Each id once: a URL, blob name or location on the line that contains one of the line's ids shows `{recordingId}`
 * (etc.) in its place, since the id itself is on the line. Ids shorter than 16 characters are left alone.
 */
function idsOnce(fields: Record<string, unknown>): Record<string, unknown> {
  const ids = ID_FIELDS.flatMap((name) => {
    const v = fields[name];
    return typeof v === 'string' && v.length >= 16 ? [{ name, forms: spellings(v) }] : [];
  });
  if (ids.length === 0) return fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || (ID_FIELDS as readonly string[]).includes(key)) {
      out[key] = value;
      continue;
    }
    let s = value;
    for (const { name, forms } of ids) for (const form of forms) s = s.split(form).join(`{${name}}`);
    out[key] = s;
  }
  return out;
}

function format(message: string, fields: LogFields): string {
  const present = idsOnce(withoutUndefined(fields));
  return Object.keys(present).length ? `${message} ${JSON.stringify(present)}` : message;
}

function makeLogger(sink: Sink, base: LogFields): Logger {
  return {
    info: (m, f) => sink('info', format(m, { ...base, ...f })),
    warn: (m, f) => sink('warn', format(m, { ...base, ...f })),
    error: (m, f) => sink('error', format(m, { ...base, ...f })),
    with: (f) => makeLogger(sink, { ...base, ...f }),
  };
}

/** Logger writing through the Functions invocation context (so the host attributes lines to the invocation). */
export function contextLogger(context: InvocationContext, base: LogFields = {}): Logger {
  return makeLogger((level, line) => context[level](line), base);
}

/** Logger writing to the console (tools and code running outside an invocation). */
export function consoleLogger(base: LogFields = {}): Logger {
  return makeLogger((level, line) => console[level](line), base);
}

/** Logger that drops everything. */
export const silentLogger: Logger = makeLogger(() => undefined, {});

/**
 * A URL safe to log: query values (signed tokens, `token=` secrets, SAS) are replaced by `***`.
 * Invalid URLs are reduced to a placeholder rather than echoed.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***');
    u.username = '';
    u.password = '';
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '<invalid url>';
  }
}
