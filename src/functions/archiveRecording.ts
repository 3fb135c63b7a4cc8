// Durable registrations of the archive: the `archiveRecording` orchestration and its three activities. The logic
// lives in src/archive; this file only tells the host about it.
import * as df from 'durable-functions';
import { archiveChunkFile } from '../archive/activities/archiveChunkFile.js';
import { deleteChunkSource } from '../archive/activities/deleteChunkSource.js';
import { writeRecordingManifest } from '../archive/activities/writeRecordingManifest.js';
import {
  ARCHIVE_CHUNK_FILE_ACTIVITY,
  ARCHIVE_RECORDING_ORCHESTRATION,
  DELETE_CHUNK_SOURCE_ACTIVITY,
  WRITE_RECORDING_MANIFEST_ACTIVITY,
} from '../archive/archiveFunctionNames.js';
import { archiveRecordingOrchestrator } from '../archive/archiveRecordingOrchestrator.js';

df.app.orchestration(ARCHIVE_RECORDING_ORCHESTRATION, archiveRecordingOrchestrator);
df.app.activity(ARCHIVE_CHUNK_FILE_ACTIVITY, { handler: archiveChunkFile });
df.app.activity(DELETE_CHUNK_SOURCE_ACTIVITY, { handler: deleteChunkSource });
df.app.activity(WRITE_RECORDING_MANIFEST_ACTIVITY, { handler: writeRecordingManifest });
