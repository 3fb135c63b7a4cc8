import { describe, expect, it } from 'vitest';
import { checkAppSettings, ConfigError, DEFAULT_MEDIA_ALLOWED_ORIGINS, loadConfig, maskSettingValue, perConfig, readStorageConnection, resetConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({});
    expect(c.recordingDefaults).toEqual({ content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false });
    expect(c.recordingAutoStart).toBe(true);
    expect(c.acsApiVersion).toBe('2026-03-12');
    expect(c.archiveContainer).toBe('recordings');
    expect(c.deleteSource).toBe(true);
    expect(c.archiveChunkConcurrency).toBe(4);
    expect(c.archiveRetryHorizonHours).toBe(20);
    expect(c.mediaAllowedOrigins).toEqual(DEFAULT_MEDIA_ALLOWED_ORIGINS.split(','));
    expect(c.callbackAuth.allowUnauthenticated).toBe(false);
    expect(c.acs).toBeUndefined();
    expect(c.recordOnCallStarted).toBe(false);
    expect(c.callStartedFilter).toEqual(['groupCalls', 'roomsCalls', 'twoPartyCalls']);
  });

  it('reads RECORD_ON_CALL_STARTED and a CALL_STARTED_FILTER list (any case, spaces, repeats)', () => {
    const c = loadConfig({ RECORD_ON_CALL_STARTED: 'true', CALL_STARTED_FILTER: ' roomscalls, twoPartyCalls,roomsCalls ' });
    expect(c.recordOnCallStarted).toBe(true);
    expect(c.callStartedFilter).toEqual(['roomsCalls', 'twoPartyCalls']);
    expect(loadConfig({ CALL_STARTED_FILTER: '' }).callStartedFilter).toEqual(['groupCalls', 'roomsCalls', 'twoPartyCalls']);
  });

  it('parses an ACS connection string into endpoint and key', () => {
    const c = loadConfig({ ACS_CONNECTION_STRING: 'endpoint=http://127.0.0.1:8123/;accesskey=MDEy' });
    expect(c.acs).toEqual({ kind: 'connectionString', endpoint: 'http://127.0.0.1:8123/', accessKey: 'MDEy' });
  });

  it('uses managed identity when only ACS_ENDPOINT is set', () => {
    const c = loadConfig({ ACS_ENDPOINT: 'https://x.communication.azure.com', AZURE_CLIENT_ID: 'cid' });
    expect(c.acs).toEqual({ kind: 'managedIdentity', endpoint: 'https://x.communication.azure.com', clientId: 'cid' });
  });

  it.each([
    [{ RECORDING_CONTENT: 'audioVideo', RECORDING_FORMAT: 'wav' }, /audioVideo recordings must be mixed mp4/],
    [{ RECORDING_CONTENT: 'audioVideo', RECORDING_CHANNEL: 'unmixed' }, /audioVideo recordings must be mixed mp4/],
    [{ RECORDING_CHANNEL: 'unmixed', RECORDING_FORMAT: 'mp3' }, /unmixed audio recordings must be wav/],
    [{ RECORDING_FORMAT: 'mp4' }, /mp4 is only for audioVideo/],
    [{ RECORDING_FORMAT: 'ogg' }, /RECORDING_FORMAT must be wav, mp3 or mp4/],
    [{ RECORDING_AUTO_START: 'maybe' }, /RECORDING_AUTO_START must be true or false/],
    [{ CALLBACK_AUTH: 'off' }, /CALLBACK_AUTH may only be "none"/],
    [{ RECORD_ON_CALL_STARTED: 'yes' }, /RECORD_ON_CALL_STARTED must be true or false/],
    [{ CALL_STARTED_FILTER: 'groupCalls,pstnCalls' }, /CALL_STARTED_FILTER entries must be groupCalls, roomsCalls, twoPartyCalls, got "pstnCalls"/],
    [{ CALL_STARTED_FILTER: ' , ' }, /CALL_STARTED_FILTER must list at least one/],
    [{ ACS_MEDIA_ALLOWED_ORIGINS: 'https://ok.example.com,ftp://bad' }, /ACS_MEDIA_ALLOWED_ORIGINS/],
    [{ ACS_CONNECTION_STRING: 'nonsense' }, /ACS_CONNECTION_STRING/],
    [{ ARCHIVE_RETRY_HORIZON_HOURS: '0' }, /ARCHIVE_RETRY_HORIZON_HOURS must be an integer from 1 to 23/],
    [{ ARCHIVE_RETRY_HORIZON_HOURS: '24' }, /ARCHIVE_RETRY_HORIZON_HOURS must be an integer from 1 to 23/],
    [{ ARCHIVE_RETRY_HORIZON_HOURS: '1.5' }, /ARCHIVE_RETRY_HORIZON_HOURS/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads ARCHIVE_RETRY_HORIZON_HOURS within 1-23', () => {
    expect(loadConfig({ ARCHIVE_RETRY_HORIZON_HOURS: '1' }).archiveRetryHorizonHours).toBe(1);
    expect(loadConfig({ ARCHIVE_RETRY_HORIZON_HOURS: '23' }).archiveRetryHorizonHours).toBe(23);
  });

  it('accepts each combination ACS allows', () => {
    expect(loadConfig({ RECORDING_CONTENT: 'audioVideo' }).recordingDefaults.format).toBe('mp4');
    expect(loadConfig({ RECORDING_FORMAT: 'mp3' }).recordingDefaults.format).toBe('mp3');
    expect(loadConfig({ RECORDING_CHANNEL: 'unmixed' }).recordingDefaults).toMatchObject({ channel: 'unmixed', format: 'wav' });
  });

  it('reads identity-based storage settings like Functions does and falls back to host storage', () => {
    expect(readStorageConnection({ ARCHIVE_STORAGE__blobServiceUri: 'https://a.blob.core.windows.net' }, 'ARCHIVE_STORAGE')).toEqual({
      kind: 'identity',
      blobServiceUri: 'https://a.blob.core.windows.net',
      queueServiceUri: undefined,
      tableServiceUri: undefined,
      accountName: undefined,
      clientId: undefined,
    });
    const c = loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(c.archiveStorage).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
  });

  it('reports every bad setting at once, each with its value', () => {
    const error = (() => {
      try {
        loadConfig({ ACS_REQUEST_TIMEOUT_MS: '5', CALLBACK_AUTH: 'off', PUBLIC_BASE_URL: 'not a url', TASKHUB_NAME: '1hub' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('loadConfig accepted bad settings');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      'ACS_REQUEST_TIMEOUT_MS must be an integer from 100 to 600000, got "5"',
      'CALLBACK_AUTH may only be "none" (local use), got "off"',
      'PUBLIC_BASE_URL must be an absolute http(s) URL, got "not a url"',
      'TASKHUB_NAME must be a letter followed by letters and digits, 3 to 45 characters, got "1hub"',
    ]);
    expect(error.message).toBe(`Invalid settings: ${error.issues.join('; ')}`);
  });

  it('masks secrets in the values it names', () => {
    expect(maskSettingValue('CALLBACK_TOKEN', 's3cr3t')).toBe('***');
    expect(maskSettingValue('AzureWebJobsStorage', 'AccountName=a;AccountKey=abc==;EndpointSuffix=x')).toBe('AccountName=a;AccountKey=***;EndpointSuffix=x');
    expect(maskSettingValue('ARCHIVE_STORAGE', 'BlobEndpoint=https://a/;SharedAccessSignature=sv=1&sig=xyz')).toBe('BlobEndpoint=https://a/;SharedAccessSignature=***');
    expect(maskSettingValue('ACS_CONNECTION_STRING', 'endpoint=x;accesskey=k=')).toBe('endpoint=x;accesskey=***');
    expect(() => loadConfig({ ACS_CONNECTION_STRING: 'endpoint=ftp:;accesskey=SECRET' })).toThrow('got "ftp:"');
  });

  it('checkAppSettings names what the app cannot run without', () => {
    expect(() => checkAppSettings(loadConfig({}))).toThrow(/ACS is not configured.*AzureWebJobsStorage is not set.*TASKHUB_NAME is not set/);
    expect(() => checkAppSettings(loadConfig({ ACS_ENDPOINT: 'http://acs.example.com', AzureWebJobsStorage: 'UseDevelopmentStorage=true', TASKHUB_NAME: 'hub' }))).toThrow(
      'ACS_ENDPOINT must be https (plain http only for 127.0.0.1/localhost), got "http://acs.example.com"',
    );
    const ok = loadConfig({ ACS_CONNECTION_STRING: 'endpoint=http://127.0.0.1:8123/;accesskey=MDEy', AzureWebJobsStorage: 'UseDevelopmentStorage=true', TASKHUB_NAME: 'localhub' });
    expect(checkAppSettings(ok).taskHubName).toBe('localhub');
  });
});

describe('DOWNLOAD_LINK_MINUTES', () => {
  it('defaults to 15 and accepts 1 to 60', () => {
    expect(loadConfig({}).downloadLinkMinutes).toBe(15);
    expect(loadConfig({ DOWNLOAD_LINK_MINUTES: '60' }).downloadLinkMinutes).toBe(60);
    expect(() => loadConfig({ DOWNLOAD_LINK_MINUTES: '61' })).toThrow(/DOWNLOAD_LINK_MINUTES must be an integer from 1 to 60/);
    expect(() => loadConfig({ DOWNLOAD_LINK_MINUTES: '0' })).toThrow(/DOWNLOAD_LINK_MINUTES/);
  });
});

describe('perConfig', () => {
  it('builds once per loaded configuration and again after resetConfig; a failed build is not cached', () => {
    let builds = 0;
    let fail = true;
    const value = perConfig(() => {
      builds++;
      if (fail) throw new Error('not yet');
      return { builds };
    });
    expect(() => value.get()).toThrow('not yet');
    fail = false;
    const first = value.get();
    expect(value.get()).toBe(first);
    resetConfig();
    expect(value.get()).not.toBe(first);
    expect(builds).toBe(3);
  });
});
