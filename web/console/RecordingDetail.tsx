// One recording: its state and settings, each chunk with status, size, MD5, times and failures, a player per
// archived chunk (its src is the SAS URL the download route answers as JSON: the key never reaches storage),
// downloads, pause/resume/stop while active (the focus moves to "Confirm stop"), and "Archive again" (the re-drive)
// when failed or partial. It refreshes by itself while an archive is in progress.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError } from './api';
import { Badge, ErrorBox } from './components';
import { formatBytes, formatTime } from './format';
import { IN_PROGRESS, type Chunk, type DownloadLink, type RecordingView } from './models';

const linkPath = (id: string, index: number, file: 'media' | 'metadata') => `recordings/${id}/chunks/${index}/${file}`;

function Player({ id, chunk, video }: { id: string; chunk: Chunk; video: boolean }) {
  const [link, setLink] = useState<DownloadLink>();
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    api<DownloadLink>(linkPath(id, chunk.index, 'media'))
      .then((l) => live && setLink(l))
      .catch((e: unknown) => live && setError(e as Error));
    return () => {
      live = false;
    };
  }, [id, chunk.index, attempt]);
  // The SAS URL lives DOWNLOAD_LINK_MINUTES: a player that fails after its expiry gets a fresh link.
  const onMediaError = () => {
    if (link && Date.parse(link.expiresOn) <= Date.now()) setAttempt((n) => n + 1);
  };
  const label = `Chunk ${chunk.index} media`;
  if (error) return <ErrorBox error={error} />;
  if (!link) return <p>Loading player…</p>;
  return video ? (
    <video controls preload="metadata" src={link.url} aria-label={label} class="player" onError={onMediaError} />
  ) : (
    <audio controls preload="metadata" src={link.url} aria-label={label} class="player" onError={onMediaError} />
  );
}

async function download(id: string, index: number, file: 'media' | 'metadata'): Promise<void> {
  const link = await api<DownloadLink>(linkPath(id, index, file));
  const a = document.createElement('a');
  a.href = link.url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

function ChunkCard({ id, chunk, video, onError }: { id: string; chunk: Chunk; video: boolean; onError: (e: Error) => void }) {
  const archived = chunk.status === 'archived';
  return (
    <section class="chunk" aria-labelledby={`chunk-${chunk.index}`} data-chunk={chunk.index}>
      <h3 id={`chunk-${chunk.index}`}>
        Chunk {chunk.index} <Badge status={chunk.status} />
      </h3>
      <dl class="facts">
        <dt>Document</dt>
        <dd class="mono">{chunk.documentId}</dd>
        <dt>Media</dt>
        <dd>{chunk.media ? `${formatBytes(chunk.media.size)} · MD5 ${chunk.media.contentMD5}` : '—'}</dd>
        <dt>Metadata</dt>
        <dd>{chunk.metadata ? `${formatBytes(chunk.metadata.size)} · MD5 ${chunk.metadata.contentMD5}` : '—'}</dd>
        <dt>Archived</dt>
        <dd>{formatTime(chunk.archivedAt)}</dd>
        <dt>Source deleted</dt>
        <dd>{formatTime(chunk.sourceDeletedAt)}</dd>
      </dl>
      {chunk.failures && chunk.failures.length > 0 && (
        <div class="failures">
          <h4>Failures</h4>
          <ul>
            {chunk.failures.map((f, i) => (
              <li key={i}>
                <strong>{f.step}</strong> {f.code}
                {f.statusCode !== undefined ? ` (HTTP ${f.statusCode})` : ''}
                {f.permanent ? ', permanent' : ''}: {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {archived && (
        <>
          <Player id={id} chunk={chunk} video={video} />
          <div class="buttons">
            <button type="button" onClick={() => void download(id, chunk.index, 'media').catch(onError)}>Download media of chunk {chunk.index}</button>
            <button type="button" onClick={() => void download(id, chunk.index, 'metadata').catch(onError)}>Download metadata of chunk {chunk.index}</button>
          </div>
        </>
      )}
    </section>
  );
}

export function RecordingDetail({ id, back }: { id: string; back: () => void }) {
  const [view, setView] = useState<RecordingView>();
  const [error, setError] = useState<ApiError | Error>();
  const [notice, setNotice] = useState<string>();
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [confirmStop, setConfirmStop] = useState(false);
  // "Stop" is replaced by "Confirm stop": the focus follows, so a keyboard user is not dropped to the page's start.
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmStop) confirmRef.current?.focus();
  }, [confirmStop]);

  useEffect(() => {
    let live = true;
    api<RecordingView>(`recordings/${id}`)
      .then((v) => {
        if (!live) return;
        setView(v);
        setError(undefined);
      })
      .catch((e: unknown) => live && setError(e as Error));
    return () => {
      live = false;
    };
  }, [id, tick]);

  const inProgress = view ? IN_PROGRESS.includes(view.archive.status) : false;
  useEffect(() => {
    if (!inProgress) return;
    const t = setTimeout(() => setTick((n) => n + 1), 1500);
    return () => clearTimeout(t);
  }, [view, inProgress]);

  async function act(label: string, path: string, method: string): Promise<void> {
    setBusy(true);
    setNotice(undefined);
    try {
      await api(path, { method });
      setNotice(`${label}: accepted`);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
      setConfirmStop(false);
      setTick((n) => n + 1);
    }
  }

  const state = view?.recordingState;
  const running = state === 'active' || state === 'inactive';
  const video = view?.content === 'audioVideo' || view?.format === 'mp4';
  return (
    <main>
      <p>
        <a
          href="#/"
          onClick={(e) => {
            e.preventDefault();
            back();
          }}
        >
          ← All recordings
        </a>
      </p>
      <h1>Recording</h1>
      <ErrorBox error={error} />
      {notice && <p role="status" class="notice">{notice}</p>}
      {view && (
        <>
          <dl class="facts">
            <dt>Recording ID</dt>
            <dd class="mono">{view.recordingId}</dd>
            <dt>State</dt>
            <dd data-field="recordingState">{state ?? '—'}</dd>
            <dt>serverCallId</dt>
            <dd class="mono">{view.serverCallId ?? '—'}</dd>
            <dt>Call connection</dt>
            <dd class="mono">{view.callConnectionId ?? '—'}</dd>
            <dt>Settings</dt>
            <dd>
              {[view.content, view.channel, view.format].filter(Boolean).join(' · ') || '—'}
              {view.pauseOnStart ? ' · paused on start' : ''}
            </dd>
            <dt>Archive</dt>
            <dd>
              <Badge status={view.archive.status} />
            </dd>
            <dt>Archive updated</dt>
            <dd>{formatTime(view.archive.updatedAt)}</dd>
            {view.archive.deadline && (
              <>
                <dt>Retry deadline</dt>
                <dd>{formatTime(view.archive.deadline)}</dd>
              </>
            )}
            {view.archive.nextAttemptAt && (
              <>
                <dt>Next attempt</dt>
                <dd>{formatTime(view.archive.nextAttemptAt)}</dd>
              </>
            )}
          </dl>
          <div class="buttons" role="group" aria-label="Actions">
            {state === 'active' && (
              <button type="button" disabled={busy} onClick={() => void act('Pause', `recordings/${id}/pause`, 'POST')}>Pause</button>
            )}
            {state === 'inactive' && (
              <button type="button" disabled={busy} onClick={() => void act('Resume', `recordings/${id}/resume`, 'POST')}>Resume</button>
            )}
            {running && !confirmStop && (
              <button type="button" disabled={busy} onClick={() => setConfirmStop(true)}>Stop</button>
            )}
            {running && confirmStop && (
              <>
                <button type="button" class="danger" ref={confirmRef} disabled={busy} onClick={() => void act('Stop', `recordings/${id}`, 'DELETE')}>Confirm stop</button>
                <button type="button" onClick={() => setConfirmStop(false)}>Cancel</button>
              </>
            )}
            {(view.archive.status === 'failed' || view.archive.status === 'partial') && (
              <button type="button" disabled={busy} onClick={() => void act('Archive again', `recordings/${id}/archive`, 'POST')}>Archive again</button>
            )}
            <button type="button" onClick={() => setTick((n) => n + 1)}>Refresh</button>
          </div>
          <h2>Chunks</h2>
          {view.archive.chunks.length === 0 && <p>No chunks yet.</p>}
          {view.archive.chunks.map((c) => (
            <ChunkCard key={c.index} id={id} chunk={c} video={video} onError={setError} />
          ))}
        </>
      )}
    </main>
  );
}
