// The process-wide RecordingService wired from configuration: the ACS recording client singleton and the state
// table in host storage. Reset with the other lazies (tests change settings between cases).
import { acsRecordingClient } from '../acs/clients.js';
import type { AcsRecordingClient } from '../acs/models.js';
import { getConfig } from '../config.js';
import { lazy } from '../shared/lazy.js';
import { stateStore } from './defaultStateStore.js';
import { recordingCallbackUri } from './recordingCallbackUri.js';
import { RecordingService } from './RecordingService.js';

// Resolved per call, so events that need no ACS call work even while ACS is not configured, and a client set()
// by a test is the one used.
const deferredRecordingClient: AcsRecordingClient = {
  startRecording: (...args) => acsRecordingClient.get().startRecording(...args),
  getRecordingState: (...args) => acsRecordingClient.get().getRecordingState(...args),
  pauseRecording: (...args) => acsRecordingClient.get().pauseRecording(...args),
  resumeRecording: (...args) => acsRecordingClient.get().resumeRecording(...args),
  stopRecording: (...args) => acsRecordingClient.get().stopRecording(...args),
};

/** The service the callback and control API functions use. */
export const recordingService = lazy(() => {
  const config = getConfig();
  return new RecordingService({
    recordingClient: deferredRecordingClient,
    // The state table (`STATE_TABLE_NAME` in `AzureWebJobsStorage`).
    store: stateStore.get(),
    defaults: config.recordingDefaults,
    autoStart: config.recordingAutoStart,
    recordOnCallStarted: config.recordOnCallStarted,
    callStartedFilter: config.callStartedFilter,
    callbackUri: recordingCallbackUri(config.publicBaseUrl, config.callbackAuth.callbackToken),
  });
});
