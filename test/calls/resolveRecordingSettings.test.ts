import { describe, expect, it } from 'vitest';
import type { RecordingDefaults } from '../../src/config.js';
import { resolveRecordingSettings } from '../../src/calls/resolveRecordingSettings.js';

const audio: RecordingDefaults = { content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false };
const unmixed: RecordingDefaults = { content: 'audio', channel: 'unmixed', format: 'wav', pauseOnStart: true };
const video: RecordingDefaults = { content: 'audioVideo', channel: 'mixed', format: 'mp4', pauseOnStart: false };

describe('resolveRecordingSettings', () => {
  it.each<[string, Parameters<typeof resolveRecordingSettings>[0], RecordingDefaults, ReturnType<typeof resolveRecordingSettings>]>([
    ['nothing requested → defaults', {}, unmixed, { settings: unmixed }],
    ['format only', { format: 'mp3' }, audio, { settings: { ...audio, format: 'mp3' } }],
    ['audioVideo with audio defaults → mixed mp4', { content: 'audioVideo' }, audio, { settings: { ...audio, content: 'audioVideo', format: 'mp4' } }],
    ['audio with video defaults → mixed wav', { content: 'audio' }, video, { settings: { ...video, content: 'audio', format: 'wav' } }],
    ['audio with unmixed defaults keeps unmixed', { content: 'audio', pauseOnStart: false }, unmixed, { settings: { ...unmixed, pauseOnStart: false } }],
    ['unmixed mp3 is refused', { channel: 'unmixed', format: 'mp3' }, audio, { error: 'unmixed audio recordings must be wav' }],
    ['audio mp4 is refused', { format: 'mp4' }, audio, { error: 'mp4 is only for audioVideo recordings' }],
    ['unmixed video is refused', { content: 'audioVideo', channel: 'unmixed' }, audio, { error: 'audioVideo recordings must be mixed mp4' }],
  ])('%s', (_name, requested, defaults, expected) => {
    expect(resolveRecordingSettings(requested, defaults)).toEqual(expected);
  });
});
