// Names the Durable host knows the archive functions by. The trigger starts the orchestration by name and the
// orchestrator schedules activities by name, so they live in one place.
export const ARCHIVE_RECORDING_ORCHESTRATION = 'archiveRecording';
export const ARCHIVE_CHUNK_ACTIVITY = 'archiveChunk';
export const WRITE_RECORDING_MANIFEST_ACTIVITY = 'writeRecordingManifest';
export const RECORD_ARCHIVE_STATUS_ACTIVITY = 'recordArchiveStatus';
