import { describe, expect, it } from 'vitest';
import type { RecordingDefaults } from '../../src/config.js';
import { parseStartRecordingBody } from '../../src/calls/parseStartRecordingBody.js';
import { ValidationError } from '../../src/shared/errors.js';

const defaults: RecordingDefaults = { content: 'audio', channel: 'mixed', format: 'wav', pauseOnStart: false };
const serverCallId = 'aHR0cHM6Ly9hcGkvY29udj9pPTE=';

function refusal(body: unknown): ValidationError {
  try {
    parseStartRecordingBody(body, defaults);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parseStartRecordingBody', () => {
  it('fills defaults for a bare serverCallId', () => {
    expect(parseStartRecordingBody({ serverCallId }, defaults)).toEqual({
      target: { serverCallId },
      settings: defaults,
      channelAffinity: undefined,
      audioChannelParticipantOrdering: undefined,
    });
  });

  it('converts raw participant IDs to ACS identifier models', () => {
    const cmd = parseStartRecordingBody(
      {
        callConnectionId: '401f3500-62bd-46a9-8c09-9e1b06caca01',
        channel: 'unmixed',
        pauseOnStart: true,
        channelAffinity: [
          { channel: 0, participant: '4:+14255550123' },
          { channel: 4, participant: '8:acs:res_user1' },
        ],
        audioChannelParticipantOrdering: ['8:acs:res_user1', '4:+14255550123'],
      },
      defaults,
    );
    expect(cmd.target).toEqual({ callConnectionId: '401f3500-62bd-46a9-8c09-9e1b06caca01' });
    expect(cmd.settings).toEqual({ content: 'audio', channel: 'unmixed', format: 'wav', pauseOnStart: true });
    expect(cmd.channelAffinity).toEqual([
      { channel: 0, participant: { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } } },
      { channel: 4, participant: { kind: 'communicationUser', rawId: '8:acs:res_user1', communicationUser: { id: '8:acs:res_user1' } } },
    ]);
    expect(cmd.audioChannelParticipantOrdering?.map((p) => p.kind)).toEqual(['communicationUser', 'phoneNumber']);
  });

  it.each<[string, unknown, RegExp, string?]>([
    ['channel 5', { serverCallId, channel: 'unmixed', channelAffinity: [{ channel: 5, participant: '8:acs:a_b' }] }, /not valid/, 'channelAffinity[0].channel'],
    ['a negative channel', { serverCallId, channel: 'unmixed', channelAffinity: [{ channel: -1, participant: '8:acs:a_b' }] }, /not valid/, 'channelAffinity[0].channel'],
    ['a fractional channel', { serverCallId, channel: 'unmixed', channelAffinity: [{ channel: 1.5, participant: '8:acs:a_b' }] }, /not valid/, 'channelAffinity[0].channel'],
    ['channelAffinity on a mixed recording', { serverCallId, channelAffinity: [{ channel: 0, participant: '8:acs:a_b' }] }, /only valid for unmixed/, 'channelAffinity'],
    ['ordering on a mixed recording', { serverCallId, channel: 'mixed', audioChannelParticipantOrdering: ['8:acs:a_b'] }, /only valid for unmixed/, 'audioChannelParticipantOrdering'],
    ['the same channel twice', { serverCallId, channel: 'unmixed', channelAffinity: [{ channel: 1, participant: '8:acs:a' }, { channel: 1, participant: '8:acs:b' }] }, /same channel twice/],
    ['a participant that is not a raw ID', { serverCallId, channel: 'unmixed', audioChannelParticipantOrdering: ['alice'] }, /not valid/, 'audioChannelParticipantOrdering[0]'],
    ['a bad content enum', { serverCallId, content: 'video' }, /not valid/, 'content'],
    ['a bad format enum', { serverCallId, format: 'ogg' }, /not valid/, 'format'],
    ['a non-boolean pauseOnStart', { serverCallId, pauseOnStart: 'yes' }, /not valid/, 'pauseOnStart'],
    ['an unmixed mp3', { serverCallId, channel: 'unmixed', format: 'mp3' }, /unmixed audio recordings must be wav/],
    ['audioVideo wav', { serverCallId, content: 'audioVideo', format: 'wav' }, /audioVideo recordings must be mixed mp4/],
    ['both call ids', { serverCallId, callConnectionId: 'c' }, /not valid/, 'serverCallId'],
    ['neither call id', { content: 'audio' }, /not valid/, 'serverCallId'],
    ['an empty serverCallId', { serverCallId: '' }, /not valid/, 'serverCallId'],
    ['an unknown field', { serverCallId, recordingFormat: 'wav' }, /not valid/],
    ['an array body', [{ serverCallId }], /not valid/],
  ])('refuses %s', (_name, body, message, path) => {
    const e = refusal(body);
    expect(e.message).toMatch(message);
    expect(e.status).toBe(400);
    if (path) expect((e.details as { path: string }[]).map((d) => d.path)).toContain(path);
  });
});
