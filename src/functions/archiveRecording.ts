// Durable registrations of the archive: the `archiveRecording` orchestration and its three activities. The logic
// lives in src/archive; this file only tells the host about it.
import * as df from 'durable-functions';
import { archiveChunk } from '../archive/activities/archiveChunk.js';
import { recordArchiveStatus } from '../archive/activities/recordArchiveStatus.js';
import { writeRecordingManifest } from '../archive/activities/writeRecordingManifest.js';
import {
  ARCHIVE_CHUNK_ACTIVITY,
  ARCHIVE_RECORDING_ORCHESTRATION,
  RECORD_ARCHIVE_STATUS_ACTIVITY,
  WRITE_RECORDING_MANIFEST_ACTIVITY,
} from '../archive/archiveFunctionNames.js';
import { archiveRecordingOrchestrator } from '../archive/archiveRecordingOrchestrator.js';
import { recordChunkWaiting, traced } from '../shared/telemetry.js';
import { SPANS } from '../shared/telemetryNames.js';

df.app.orchestration(ARCHIVE_RECORDING_ORCHESTRATION, archiveRecordingOrchestrator);
// A thrown chunk activity is a transient failure Durable retries: counted as waiting, by its step and cause.
df.app.activity(ARCHIVE_CHUNK_ACTIVITY, { handler: traced(SPANS.archiveChunk, (input: unknown, ctx) => archiveChunk(input, ctx).catch(recordChunkWaiting)) });
df.app.activity(WRITE_RECORDING_MANIFEST_ACTIVITY, { handler: writeRecordingManifest });
df.app.activity(RECORD_ARCHIVE_STATUS_ACTIVITY, { handler: recordArchiveStatus });
