// Process-wide ACS clients built from configuration on first use; tests may `set()` them or reset and re-read env.
// PLACEHOLDER until the ACS client lands: the factories below are replaced by the real implementations.
import { lazy } from '../shared/lazy.js';
import type { AcsMediaClient, AcsRecordingClient } from './models.js';

export const acsRecordingClient = lazy<AcsRecordingClient>(() => {
  throw new Error('AcsRecordingClient not implemented yet');
});

export const acsMediaClient = lazy<AcsMediaClient>(() => {
  throw new Error('AcsMediaClient not implemented yet');
});
