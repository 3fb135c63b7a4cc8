// Small shared pieces of the console: the archive status badge and the error box (the API's own words).
import type { ApiError } from './api';

const LABELS: Record<string, string> = {
  notStarted: 'not started',
  archiving: 'archiving',
  waitingToRetry: 'waiting to retry',
  archived: 'archived',
  partial: 'partial',
  failed: 'failed',
  pending: 'pending',
};

export function Badge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`} data-status={status}>{LABELS[status] ?? status}</span>;
}

export function ErrorBox({ error }: { error: ApiError | Error | undefined }) {
  if (!error) return null;
  const e = error as Partial<ApiError>;
  const details = Array.isArray(e.details) ? (e.details as { path?: string; message?: string }[]) : [];
  return (
    <div class="error" role="alert">
      <strong>{e.code ? `${e.code}: ` : ''}</strong>
      {error.message}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>{d.path ? `${d.path}: ` : ''}{d.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
