// The query string of `GET /api/recordings`, validated at the edge: filters, `limit` (1–100, default 25) and the
// opaque `continuationToken`. Anything invalid is a 400 that lists every problem; nothing is read.
import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';
import { ARCHIVE_STATUSES, type ArchiveStatus } from './archiveStateModels.js';
import { zodIssues } from './zodIssues.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

export const DEFAULT_LIST_LIMIT = 25;
export const MAX_LIST_LIMIT = 100;

export interface ListRecordingsQuery {
  serverCallId?: string;
  callId?: string;
  /** Recording start, inclusive bounds. */
  from?: Date;
  to?: Date;
  archiveStatus?: ArchiveStatus;
  limit: number;
  continuationToken?: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const isoInstant = z
  .string()
  .regex(ISO_DATE_TIME, 'must be an ISO 8601 date or date-time with a zone, e.g. 2026-03-14T09:30:00Z')
  .transform((v, ctx) => {
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    return new Date(ms);
  });

const id = z.string().min(1).max(4096);

const querySchema = z
  .object({
    serverCallId: id.optional(),
    callId: id.optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    archiveStatus: z.enum(ARCHIVE_STATUSES, { message: `must be one of ${ARCHIVE_STATUSES.join(', ')}` }).optional(),
    limit: z
      .string()
      .regex(/^\d+$/, `must be an integer from 1 to ${MAX_LIST_LIMIT}`)
      .transform(Number)
      .pipe(z.number().int().min(1, `must be an integer from 1 to ${MAX_LIST_LIMIT}`).max(MAX_LIST_LIMIT, `must be an integer from 1 to ${MAX_LIST_LIMIT}`))
      .optional(),
    continuationToken: z.string().min(1).max(4096).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(), { message: '`from` must not be after `to`', path: ['from'] });

const KEYS = ['serverCallId', 'callId', 'from', 'to', 'archiveStatus', 'limit', 'continuationToken'] as const;

/** Other parameters (such as the function key's `code`) are ignored. */
export function parseListRecordingsQuery(params: URLSearchParams): ListRecordingsQuery {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const values = params.getAll(key);
    if (values.length > 1) throw new ValidationError(`The query parameter ${key} is given more than once`, [{ path: key, message: 'given more than once' }]);
    if (values[0] !== undefined) raw[key] = values[0];
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('The recording list query is invalid', zodIssues(parsed.error));
  const { limit, ...rest } = parsed.data;
  return withoutUndefined({ ...rest, limit: limit ?? DEFAULT_LIST_LIMIT });
}
