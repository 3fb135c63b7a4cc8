// Pure parts: minted ids in the real style, and request-target → operation routing.
import { describe, expect, it } from 'vitest';
import { mintDocumentId } from '../../../tools/acs-emulator/ids/mintDocumentId.js';
import { mintRecordingId } from '../../../tools/acs-emulator/ids/mintRecordingId.js';
import { isBase64, mintServerCallId } from '../../../tools/acs-emulator/ids/mintServerCallId.js';
import { resolveRoute } from '../../../tools/acs-emulator/pipeline/resolveRoute.js';

describe('minted ids', () => {
  it('recording ids are padded base64 JSON containing /, + and =', () => {
    for (let i = 0; i < 50; i++) {
      const id = mintRecordingId();
      expect(isBase64(id)).toBe(true);
      for (const c of ['/', '+', '=']) expect(id).toContain(c);
      expect(Object.keys(JSON.parse(Buffer.from(id, 'base64').toString('utf8')) as object)).toEqual(['PlatformEndpointId', 'ResourceSpecificId', 'Nonce']);
    }
  });

  it('serverCallIds are padded base64 conversation URLs containing /', () => {
    for (let i = 0; i < 50; i++) {
      const id = mintServerCallId();
      expect(isBase64(id)).toBe(true);
      expect(id).toContain('/');
      expect(new URL(Buffer.from(id, 'base64').toString('utf8')).hostname).toBe('api.flightproxy.skype.com');
    }
  });

  it('document ids look like 0-eus-d12-<32 hex>', () => {
    expect(mintDocumentId()).toMatch(/^0-eus-d\d{1,2}-[0-9a-f]{32}$/);
  });
});

describe('resolveRoute', () => {
  const id = 'eyJhIjoiYiJ9+/==';
  const enc = encodeURIComponent(id);
  it.each([
    ['POST', '/calling/recordings', { operation: 'startRecording', surface: 'calling', auth: 'hmac', signedPath: 'target' }],
    ['GET', `/calling/recordings/${enc}`, { operation: 'getRecording', recordingId: id }],
    ['DELETE', `/calling/recordings/${enc}`, { operation: 'stopRecording', recordingId: id }],
    ['POST', `/calling/recordings/${enc}:pause`, { operation: 'pauseRecording', recordingId: id }],
    ['POST', `/calling/recordings/${enc}%3Aresume`, { operation: 'resumeRecording', recordingId: id }],
    ['POST', `/calling/recordings/${enc}:stop`, { operation: 'unknown', methodNotAllowed: true }],
    ['GET', '/calling/recordings/%E0%A4%A', { operation: 'unknown', malformed: true }],
    ['GET', '/calling/.well-known/acsopenidconfiguration', { operation: 'openid', auth: 'anonymous' }],
    ['GET', '/calling/keys', { operation: 'jwks', auth: 'anonymous' }],
    ['GET', '/v1/objects/doc-1/content/audio', { operation: 'downloadContent', documentId: 'doc-1', contentKind: 'audio', surface: 'media', signedPath: 'pathname' }],
    ['GET', '/v1/objects/doc-1/content/acsmetadata', { operation: 'downloadMetadata', documentId: 'doc-1' }],
    ['DELETE', '/v1/objects/doc-1', { operation: 'deleteRecording', documentId: 'doc-1' }],
    ['DELETE', '/v1/objects/doc-1/content/deletedata', { operation: 'deleteRecording', documentId: 'doc-1' }],
    ['GET', '/v1/objects/doc-1', { operation: 'unknown', surface: 'media', methodNotAllowed: true }],
    ['GET', '/elsewhere', { operation: 'unknown', surface: 'calling' }],
  ])('%s %s', (method, path, expected) => {
    expect(resolveRoute(method, path, '')).toMatchObject(expected);
  });

  it('strips the media base path', () => {
    expect(resolveRoute('GET', '/store/v1/objects/d/content/video', '/store')).toMatchObject({ operation: 'downloadContent', documentId: 'd', contentKind: 'video' });
  });
});
