import { afterEach, describe, expect, it } from 'vitest';
import { acsMediaClient, acsRecordingClient } from '../../src/acs/clients.js';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import { ConfigError } from '../../src/config.js';
import { applyEnv } from '../support/env.js';

describe('lazy ACS clients', () => {
  let restore: (() => void) | undefined;
  /** Sets `vars` (rebuilding the lazy config and clients); the first call of a test keeps the restore to the settings before it. */
  const useEnv = (vars: Record<string, string | undefined>) => {
    const undo = applyEnv(vars);
    restore ??= undo;
  };
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('explain what to set when ACS is not configured', () => {
    useEnv({ ACS_CONNECTION_STRING: undefined, ACS_ENDPOINT: undefined });
    expect(() => acsRecordingClient.get()).toThrow(ConfigError);
    expect(() => acsMediaClient.get()).toThrow(/ACS_CONNECTION_STRING .* or ACS_ENDPOINT/);
  });

  it('are built once from the connection string or the managed-identity endpoint', () => {
    useEnv({ ACS_CONNECTION_STRING: 'endpoint=http://127.0.0.1:8123/;accesskey=MDEy' });
    const r = acsRecordingClient.get();
    expect(r).toBeInstanceOf(RestAcsRecordingClient);
    expect(acsRecordingClient.get()).toBe(r);
    expect(acsMediaClient.get()).toBeInstanceOf(RestAcsMediaClient);

    useEnv({ ACS_CONNECTION_STRING: undefined, ACS_ENDPOINT: 'https://x.communication.azure.com' });
    expect(acsRecordingClient.get()).toBeInstanceOf(RestAcsRecordingClient);
  });
});
