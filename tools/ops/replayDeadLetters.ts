// Replays dead-lettered RecordingFileStatusUpdated events through the app's re-drive endpoint
// (POST /api/recordings/{id}/archive with { event }), so a recording whose event Event Grid gave up on is archived
// before its source expires (~24 h at ACS).
//
// Event Grid writes dead letters as JSON blobs under <container>/<SUBSCRIPTION NAME IN UPPER CASE>/YYYY/M/D/H/<guid>.json,
// each holding an array of events to which it adds deadLetterReason, deliveryAttempts, lastDeliveryOutcome,
// lastHttpStatusCode, publishTime and lastDeliveryAttemptTime (see /work/shared/reference/events-and-operations.md §3).
// Those delivery properties are stripped, so the endpoint validates the event exactly as the trigger would.
// Idempotent: the endpoint answers 200 "archived" (and starts nothing) for a recording already archived, and 409 while
// one runs; a second run therefore archives nothing twice.
import type { ContainerClient } from '@azure/storage-blob';
import { parseRecordingSubject, RECORDING_FILE_STATUS_UPDATED } from '../../src/archive/parseRecordingFileStatusUpdated.js';

/** Properties Event Grid adds to a dead-lettered event (not part of the event itself). */
export const DEAD_LETTER_PROPERTIES = ['deadLetterReason', 'deliveryAttempts', 'lastDeliveryOutcome', 'lastHttpStatusCode', 'publishTime', 'lastDeliveryAttemptTime'];

/** Per request to the app: a timeout and a few retries on 429/5xx/network errors, honouring Retry-After. */
export const REQUEST_TIMEOUT_MS = 30_000;
export const REQUEST_ATTEMPTS = 3;

export interface ReplayOptions {
  container: ContainerClient;
  /** Only blobs written at or after this time. */
  since?: Date;
  /** Base URL of the app, e.g. https://<app>.azurewebsites.net or http://localhost:7071. */
  appBaseUrl: string;
  functionKey?: string;
  dryRun?: boolean;
  /** Where the per-event lines and the summary go. */
  print: (line: string) => void;
}

export type ReplayOutcome = 'started' | 'alreadyArchived' | 'running' | 'wouldReplay' | 'failed';

export interface ReplaySummary {
  blobs: number;
  events: number;
  skipped: number;
  outcomes: Record<ReplayOutcome, number>;
}

function eventTypeOf(e: Record<string, unknown>): unknown {
  return e.eventType ?? e.type;
}

function withoutDeliveryProperties(e: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !DEAD_LETTER_PROPERTIES.includes(k)));
}

async function post(url: string, body: unknown, functionKey: string | undefined): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(functionKey ? { 'x-functions-key': functionKey } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      if ((res.status === 429 || res.status >= 500) && attempt < REQUEST_ATTEMPTS) {
        const retryAfter = Number(res.headers.get('retry-after'));
        await new Promise((r) => setTimeout(r, Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 60) * 1000 : 1000 * attempt));
        continue;
      }
      return { status: res.status, text };
    } catch (e) {
      if (attempt >= REQUEST_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

/** Reads every dead-letter blob, re-submits its RecordingFileStatusUpdated events, prints one line per event. */
export async function replayDeadLetters(o: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { blobs: 0, events: 0, skipped: 0, outcomes: { started: 0, alreadyArchived: 0, running: 0, wouldReplay: 0, failed: 0 } };
  const base = o.appBaseUrl.replace(/\/+$/, '');
  for await (const blob of o.container.listBlobsFlat()) {
    if (!blob.name.endsWith('.json')) continue;
    if (o.since && (blob.properties.lastModified?.getTime() ?? 0) < o.since.getTime()) continue;
    summary.blobs++;
    let events: unknown;
    try {
      events = JSON.parse((await o.container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8'));
    } catch (e) {
      o.print(`${blob.name}: not readable as JSON (${(e as Error).message}); skipped`);
      continue;
    }
    for (const raw of Array.isArray(events) ? events : [events]) {
      if (!raw || typeof raw !== 'object' || eventTypeOf(raw as Record<string, unknown>) !== RECORDING_FILE_STATUS_UPDATED) {
        summary.skipped++;
        continue;
      }
      summary.events++;
      const event = withoutDeliveryProperties(raw as Record<string, unknown>);
      const recordingId = typeof event.subject === 'string' ? parseRecordingSubject(event.subject)?.recordingId : undefined;
      if (!recordingId) {
        summary.outcomes.failed++;
        o.print(`(no recording id) ${String(event.id)}: failed: the subject is not a recording subject`);
        continue;
      }
      if (o.dryRun) {
        summary.outcomes.wouldReplay++;
        o.print(`${recordingId}: would re-drive (event ${String(event.id)}, ${blob.name})`);
        continue;
      }
      const url = `${base}/api/recordings/${Buffer.from(recordingId, 'utf8').toString('base64url')}/archive`;
      let outcome: ReplayOutcome;
      let detail: string;
      try {
        const res = await post(url, { event }, o.functionKey);
        if (res.status === 202) [outcome, detail] = ['started', 'archive started'];
        else if (res.status === 200) [outcome, detail] = ['alreadyArchived', 'already archived; nothing to do'];
        else if (res.status === 409) [outcome, detail] = ['running', 'an archive is running; run again later'];
        else [outcome, detail] = ['failed', `HTTP ${res.status} ${res.text.slice(0, 300)}`];
      } catch (e) {
        [outcome, detail] = ['failed', (e as Error).message];
      }
      summary.outcomes[outcome]++;
      o.print(`${recordingId}: ${detail}`);
    }
  }
  const c = summary.outcomes;
  o.print(
    `Summary: ${summary.blobs} blobs, ${summary.events} RecordingFileStatusUpdated events (${summary.skipped} other events skipped): ` +
      (o.dryRun ? `${c.wouldReplay} would be re-driven` : `${c.started} started, ${c.alreadyArchived} already archived, ${c.running} running, ${c.failed} failed`),
  );
  return summary;
}
