import { describe, expect, it } from 'vitest';
import { identifierFromRawId } from '../../src/acs/identifierFromRawId.js';
import { serializeStartRecordingRequest } from '../../src/acs/serializeStartRecordingRequest.js';

describe('serializeStartRecordingRequest', () => {
  it('matches the SDK wire body for serverCallLocator + unmixed (reference §1.3), property order included', () => {
    const body = serializeStartRecordingRequest({
      target: { serverCallId: 'aHR0cHM6Ly9hcGk/aT0x' },
      recordingStateCallbackUri: 'https://app.example.com/callbacks?token=abc',
      content: 'audio',
      channel: 'unmixed',
      format: 'wav',
      audioChannelParticipantOrdering: [identifierFromRawId('8:acs:res_user1'), identifierFromRawId('4:+14255550123')],
      pauseOnStart: false,
    });
    expect(body).toBe(
      '{"callLocator":{"serverCallId":"aHR0cHM6Ly9hcGk/aT0x","kind":"serverCallLocator"},' +
        '"recordingStateCallbackUri":"https://app.example.com/callbacks?token=abc",' +
        '"recordingContentType":"audio","recordingChannelType":"unmixed","recordingFormatType":"wav",' +
        '"audioChannelParticipantOrdering":[' +
        '{"kind":"communicationUser","rawId":"8:acs:res_user1","communicationUser":{"id":"8:acs:res_user1"}},' +
        '{"kind":"phoneNumber","rawId":"4:+14255550123","phoneNumber":{"value":"+14255550123","isAnonymous":false}}],' +
        '"pauseOnStart":false}',
    );
  });

  it('sends callConnectionId instead of a locator, and channelAffinity in mapper order', () => {
    const body = JSON.parse(
      serializeStartRecordingRequest({
        target: { callConnectionId: '0400a480-ab14-4f1a-bce6-9041d4e55959' },
        content: 'audio',
        channel: 'unmixed',
        format: 'wav',
        channelAffinity: [{ channel: 1, participant: identifierFromRawId('4:+14255550123') }],
      }),
    ) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['callConnectionId', 'recordingContentType', 'recordingChannelType', 'recordingFormatType', 'channelAffinity']);
    expect(body.channelAffinity).toEqual([
      { channel: 1, participant: { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } } },
    ]);
  });
});
