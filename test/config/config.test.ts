import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MEDIA_ALLOWED_ORIGINS, loadConfig, readStorageConnection } from '../../src/config.js';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({});
    expect(c.recordingDefaults).toEqual({ content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false });
    expect(c.recordingAutoStart).toBe(true);
    expect(c.acsApiVersion).toBe('2026-03-12');
    expect(c.archiveContainer).toBe('recordings');
    expect(c.deleteSourceAfterArchive).toBe(true);
    expect(c.archiveChunkConcurrency).toBe(4);
    expect(c.mediaAllowedOrigins).toEqual(DEFAULT_MEDIA_ALLOWED_ORIGINS.split(','));
    expect(c.callbackAuth.allowUnauthenticated).toBe(false);
    expect(c.acs).toBeUndefined();
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
    [{ ACS_MEDIA_ALLOWED_ORIGINS: 'https://ok.example.com,ftp://bad' }, /ACS_MEDIA_ALLOWED_ORIGINS/],
    [{ ACS_CONNECTION_STRING: 'nonsense' }, /ACS_CONNECTION_STRING/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
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
});
