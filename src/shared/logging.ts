// One small logging contract for the whole app: a message plus structured fields. Every log line about a call
// carries correlationId, serverCallId and recordingId when known; URLs go through redactUrl first.
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

function format(message: string, fields: LogFields): string {
  const present = withoutUndefined(fields);
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
