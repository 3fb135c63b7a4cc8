import { describe, expect, it } from 'vitest';
import { assertAllowedMediaUrl, isAllowedMediaUrl } from '../../src/acs/mediaUrlAllowList.js';
import { DEFAULT_MEDIA_ALLOWED_ORIGINS } from '../../src/config.js';

const defaults = DEFAULT_MEDIA_ALLOWED_ORIGINS.split(',');

describe('isAllowedMediaUrl', () => {
  it.each([
    ['https://storage.asm.skype.com/v1/objects/x/content/audio', true],
    ['https://us-storage.asm.skype.com/v1/objects/x', true],
    ['https://prod.asyncgw.teams.microsoft.com/v1/objects/x/content/video', true],
    ['https://a.ams.gov.teams.microsoft.us/v1/objects/x', true],
    ['https://asm.skype.com/v1/objects/x', false], // wildcard needs a subdomain
    ['http://storage.asm.skype.com/v1/objects/x', false], // scheme matters
    ['https://storage.asm.skype.com:8443/v1/objects/x', false], // port matters
    ['https://storage.asm.skype.com.evil.example/v1/objects/x', false],
    ['https://evilasm.skype.com/v1/objects/x', false],
    ['https://user:pw@storage.asm.skype.com/v1/objects/x', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isAllowedMediaUrl(url, defaults)).toBe(expected);
  });

  it('matches an explicit loopback origin with its port only', () => {
    expect(isAllowedMediaUrl('http://127.0.0.1:8123/v1/objects/x', ['http://127.0.0.1:8123'])).toBe(true);
    expect(isAllowedMediaUrl('http://127.0.0.1:8124/v1/objects/x', ['http://127.0.0.1:8123'])).toBe(false);
  });

  it('names the origin but never the signed path when rejecting', () => {
    expect(() => assertAllowedMediaUrl('https://evil.example/v1/objects/secret-doc?sig=abc', defaults, 'contentLocation')).toThrow(
      'contentLocation origin https://evil.example is not in ACS_MEDIA_ALLOWED_ORIGINS',
    );
  });
});
