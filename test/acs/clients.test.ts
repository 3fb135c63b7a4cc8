import { afterEach, describe, expect, it } from 'vitest';
import { acsMediaClient, acsRecordingClient } from '../../src/acs/clients.js';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import { ConfigError, resetConfig } from '../../src/config.js';

const saved = { cs: process.env.ACS_CONNECTION_STRING, ep: process.env.ACS_ENDPOINT };

describe('lazy ACS clients', () => {
  afterEach(() => {
    for (const [k, v] of [['ACS_CONNECTION_STRING', saved.cs], ['ACS_ENDPOINT', saved.ep]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfig();
    acsRecordingClient.reset();
    acsMediaClient.reset();
  });

  it('explain what to set when ACS is not configured', () => {
    delete process.env.ACS_CONNECTION_STRING;
    delete process.env.ACS_ENDPOINT;
    resetConfig();
    expect(() => acsRecordingClient.get()).toThrow(ConfigError);
    expect(() => acsMediaClient.get()).toThrow(/ACS_CONNECTION_STRING .* or ACS_ENDPOINT/);
  });

  it('are built once from the connection string or the managed-identity endpoint', () => {
    process.env.ACS_CONNECTION_STRING = 'endpoint=http://127.0.0.1:8123/;accesskey=MDEy';
    resetConfig();
    const r = acsRecordingClient.get();
    expect(r).toBeInstanceOf(RestAcsRecordingClient);
    expect(acsRecordingClient.get()).toBe(r);
    expect(acsMediaClient.get()).toBeInstanceOf(RestAcsMediaClient);

    delete process.env.ACS_CONNECTION_STRING;
    process.env.ACS_ENDPOINT = 'https://x.communication.azure.com';
    resetConfig();
    acsRecordingClient.reset();
    expect(acsRecordingClient.get()).toBeInstanceOf(RestAcsRecordingClient);
  });
});
