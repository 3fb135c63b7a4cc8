import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createStateTableClient } from '../../src/calls/callServices.js';
import { recordingCallbackUri } from '../../src/calls/recordingCallbackUri.js';

describe('createStateTableClient', () => {
  it('uses the identity-based table service URI, or the account name', () => {
    expect(createStateTableClient({ kind: 'identity', tableServiceUri: 'https://acct.table.core.windows.net', clientId: 'c' }, 'state').url).toBe(
      'https://acct.table.core.windows.net',
    );
    expect(createStateTableClient({ kind: 'identity', accountName: 'acct2' }, 'state').url).toBe('https://acct2.table.core.windows.net');
  });

  it('refuses to run without a table endpoint', () => {
    expect(() => createStateTableClient(undefined, 'state')).toThrow(ConfigError);
    expect(() => createStateTableClient({ kind: 'identity', blobServiceUri: 'https://acct.blob.core.windows.net' }, 'state')).toThrow(/tableServiceUri/);
  });
});

describe('recordingCallbackUri', () => {
  it('points at this app’s callback route and carries the token, URL-encoded', () => {
    expect(recordingCallbackUri('https://app.example.com/', 'a b&c')).toBe('https://app.example.com/api/callbacks/call-automation?token=a+b%26c');
    expect(recordingCallbackUri('https://app.example.com', undefined)).toBe('https://app.example.com/api/callbacks/call-automation');
    expect(recordingCallbackUri(undefined, 't')).toBeUndefined();
  });
});
