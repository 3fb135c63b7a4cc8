// zod issues as the `details` of a 400: where (a readable path) and what.
import type { z } from 'zod';

export interface FieldIssue {
  /** e.g. `[1].data.serverCallId` or `channelAffinity[0].channel`; empty for the whole value. */
  path: string;
  message: string;
}

export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
