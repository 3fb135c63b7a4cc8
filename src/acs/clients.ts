// Process-wide ACS clients built from configuration on first use (rebuilt after resetConfig, when tests change the
// settings to point them at the emulator).
import { ConfigError, perConfig, type AcsAuthConfig, type AppConfig } from '../config.js';
import { consoleLogger } from '../shared/logging.js';
import type { AcsClientOptions } from './AcsClientOptions.js';
import type { AcsMediaClient, AcsRecordingClient } from './models.js';
import { RestAcsMediaClient } from './RestAcsMediaClient.js';
import { RestAcsRecordingClient } from './RestAcsRecordingClient.js';

function requireAcs(config: AppConfig): AcsAuthConfig {
  if (!config.acs) {
    throw new ConfigError(
      'ACS is not configured: set ACS_CONNECTION_STRING (endpoint=https://…;accesskey=…) or ACS_ENDPOINT (managed identity)',
    );
  }
  return config.acs;
}

function clientOptions(config: AppConfig): AcsClientOptions {
  // The app's operations pass the invocation's logger (OperationOptions.logger), so their attempt lines are
  // attributed to the invocation; the console is for callers outside an invocation (tools).
  return { maxRetries: config.acsMaxRetries, timeoutMs: config.acsRequestTimeoutMs, logger: consoleLogger({ component: 'acs' }) };
}

/** The recording client (start/get/pause/resume/stop) for the configured ACS resource. */
export const acsRecordingClient = perConfig<AcsRecordingClient>(
  (config) => new RestAcsRecordingClient(requireAcs(config), { ...clientOptions(config), apiVersion: config.acsApiVersion }),
);

/** The media client (download/delete recording files) restricted to `ACS_MEDIA_ALLOWED_ORIGINS`. */
export const acsMediaClient = perConfig<AcsMediaClient>(
  (config) => new RestAcsMediaClient(requireAcs(config), config.mediaAllowedOrigins, clientOptions(config)),
);
