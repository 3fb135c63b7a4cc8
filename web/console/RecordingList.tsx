// The recordings listing: filters (time range, serverCallId, archive status), newest first, paged with the API's
// continuation token. The first page refreshes by itself, so new recordings and archive progress show up.
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from './api';
import { Badge, ErrorBox } from './components';
import { formatBytes, formatTime, localInputToIso } from './format';
import { ARCHIVE_STATUSES, IN_PROGRESS, type RecordingList as ListResult } from './models';

interface Filters {
  from: string;
  to: string;
  serverCallId: string;
  archiveStatus: string;
}

const EMPTY: Filters = { from: '', to: '', serverCallId: '', archiveStatus: '' };

function query(f: Filters, token: string | undefined): string {
  const q = new URLSearchParams();
  const from = localInputToIso(f.from);
  const to = localInputToIso(f.to);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (f.serverCallId.trim()) q.set('serverCallId', f.serverCallId.trim());
  if (f.archiveStatus) q.set('archiveStatus', f.archiveStatus);
  if (token) q.set('continuationToken', token);
  const s = q.toString();
  return `recordings${s ? `?${s}` : ''}`;
}

export function RecordingList({ open }: { open: (id: string) => void }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // Tokens of the pages before the current one (the first page has none).
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [result, setResult] = useState<ListResult>();
  const [error, setError] = useState<ApiError | Error>();
  const [tick, setTick] = useState(0);
  const token = pages[pages.length - 1];

  useEffect(() => {
    let live = true;
    api<ListResult>(query(filters, token))
      .then((r) => {
        if (!live) return;
        setResult(r);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e as Error));
    return () => {
      live = false;
    };
  }, [filters, token, tick]);

  // The first page refreshes by itself: quickly while an archive is in progress, slowly otherwise.
  const busy = result?.items.some((r) => IN_PROGRESS.includes(r.archive.status)) ?? false;
  useEffect(() => {
    if (pages.length > 1) return;
    const t = setTimeout(() => setTick((n) => n + 1), busy ? 1500 : 3000);
    return () => clearTimeout(t);
  }, [result, busy, pages.length]);

  const field = (name: keyof Filters) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <main>
      <h1>Recordings</h1>
      <form
        class="filters"
        aria-label="Filter recordings"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
          setPages([undefined]);
        }}
      >
        <div>
          <label for="f-from">From</label>
          <input id="f-from" type="datetime-local" {...field('from')} />
        </div>
        <div>
          <label for="f-to">To</label>
          <input id="f-to" type="datetime-local" {...field('to')} />
        </div>
        <div>
          <label for="f-call">serverCallId</label>
          <input id="f-call" type="text" {...field('serverCallId')} />
        </div>
        <div>
          <label for="f-status">Archive status</label>
          <select id="f-status" value={draft.archiveStatus} onChange={(e) => setDraft({ ...draft, archiveStatus: e.currentTarget.value })}>
            <option value="">any</option>
            {ARCHIVE_STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div class="filter-buttons">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
              setPages([undefined]);
            }}
          >
            Clear
          </button>
          <button type="button" onClick={() => setTick((n) => n + 1)}>Refresh</button>
        </div>
      </form>
      <ErrorBox error={error} />
      <table class="recordings">
        <caption class="visually-hidden">Recordings, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Call</th>
            <th scope="col">Recording</th>
            <th scope="col">Archive</th>
            <th scope="col">Chunks</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {result?.items.map((r) => (
            <tr key={r.id} data-recording-id={r.recordingId}>
              <td data-label="When">
                <a
                  href={`#/recordings/${r.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    open(r.id);
                  }}
                >
                  {formatTime(r.startedAt)}
                </a>
              </td>
              <td data-label="Call" class="mono">{r.serverCallId ?? '—'}</td>
              <td data-label="Recording">{r.recordingState ?? '—'}</td>
              <td data-label="Archive"><Badge status={r.archive.status} /></td>
              <td data-label="Chunks">
                {r.archive.chunksArchived}/{r.archive.chunksTotal}
                {r.archive.chunksFailed > 0 ? ` (${r.archive.chunksFailed} failed)` : ''}
              </td>
              <td data-label="Size">{formatBytes(r.archive.totalBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result && result.items.length === 0 && <p>No recordings match.</p>}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>Previous page</button>
        <span>Page {pages.length}</span>
        <button type="button" disabled={!result?.continuationToken} onClick={() => setPages([...pages, result?.continuationToken])}>Next page</button>
      </nav>
    </main>
  );
}
