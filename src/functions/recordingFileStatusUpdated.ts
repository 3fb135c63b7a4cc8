// Event Grid trigger for Microsoft.Communication.RecordingFileStatusUpdated: validate at the edge, write the archive
// plan (the validated chunk list, create-only) and the archive's start in the state table, and start (at most once per recording and chunk set) the
// `archiveRecording` orchestration. It does nothing else, so it answers well within Event Grid's 30 s:
// - other event types: ignored with a log line;
// - an invalid event (bad fields, a URL outside ACS_MEDIA_ALLOWED_ORIGINS): an error log line with the event id and
//   every problem, nothing started, nothing requested — and the invocation FAILS: Event Grid then retries and finally
//   dead-letters the event, so a recording rejected by, say, an allow-list missing a new ACS storage host is kept
//   and can be replayed once the setting is fixed, instead of being lost with its 24-hour source;
// - a transient failure (Durable/storage unreachable): thrown, so Event Grid redelivers with backoff.
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getConfig } from '../config.js';
import { InvalidRecordingEventError } from '../archive/archiveErrors.js';
import { parseRecordingFileStatusUpdated } from '../archive/parseRecordingFileStatusUpdated.js';
import { writeArchivePlan } from '../archive/archivePlan.js';
import { startArchiveOrchestration, toArchiveRecordingInput, type StartArchiveResult } from '../archive/startArchiveOrchestration.js';
import { recordArchiveStart } from '../archive/state/recordArchiveStart.js';
import { stateStore } from '../calls/callServices.js';
import { contextLogger } from '../shared/logging.js';
import { setSpanIds, traced, withSpan } from '../shared/telemetry.js';
import { SPANS } from '../shared/telemetryNames.js';

/** Handles one delivered event. Resolves with the start result, or undefined when nothing was started. */
export async function handleRecordingFileStatusUpdated(event: unknown, context: InvocationContext): Promise<StartArchiveResult | undefined> {
  const config = getConfig();
  const base = contextLogger(context);
  let parsed;
  try {
    parsed = parseRecordingFileStatusUpdated(event, config.mediaAllowedOrigins);
  } catch (e) {
    if (e instanceof InvalidRecordingEventError) {
      base.error('Rejected an invalid RecordingFileStatusUpdated event; nothing was started', { eventId: e.eventId, issues: e.issues });
    }
    throw e;
  }
  if (parsed.kind === 'ignored') {
    base.info('Ignoring Event Grid event of another type', { eventId: parsed.eventId, eventType: parsed.eventType });
    return undefined;
  }

  const { event: ev } = parsed;
  const log = base.with({ recordingId: ev.recording.recordingId, serverCallId: ev.recording.serverCallId, eventId: ev.eventId });
  const ids = { recordingId: ev.recording.recordingId, serverCallId: ev.recording.serverCallId };
  setSpanIds(ids);
  const { instanceId, plan, input } = toArchiveRecordingInput(ev, config);
  log.info('RecordingFileStatusUpdated received', { schema: ev.schema, chunks: ev.chunks.length, instanceId });
  return withSpan(SPANS.archiveStart, ids, () =>
    startArchiveOrchestration(df.getClient(context), instanceId, input, {
      logger: log,
      // The orchestration's activities read the chunk list from the plan: it must exist before the instance does. The
      // state table then shows the archive (and the recording, if the app never saw it) as `archiving`.
      beforeStart: async () => {
        await writeArchivePlan(plan, { logger: log });
        await recordArchiveStart(stateStore.get(), { plan, instanceId, eventTime: ev.eventTime, now: new Date() });
      },
    }),
  );
}

app.eventGrid('recordingFileStatusUpdated', {
  extraInputs: [df.input.durableClient()],
  handler: traced(SPANS.recordingEvent, handleRecordingFileStatusUpdated),
});
