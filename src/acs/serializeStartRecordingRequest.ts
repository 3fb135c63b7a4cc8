// StartCallRecordingRequest exactly as @azure/communication-call-automation 1.6.0 puts it on the wire (reference
// §1.3): property order of its mapper, camelCase enums, `undefined` options omitted.
import type { StartRecordingRequest } from './models.js';

/** The JSON body of `POST /calling/recordings`. */
export function serializeStartRecordingRequest(request: StartRecordingRequest): string {
  const { target } = request;
  const body = {
    callLocator: 'serverCallId' in target ? { serverCallId: target.serverCallId, kind: 'serverCallLocator' } : undefined,
    callConnectionId: 'callConnectionId' in target ? target.callConnectionId : undefined,
    recordingStateCallbackUri: request.recordingStateCallbackUri,
    recordingContentType: request.content,
    recordingChannelType: request.channel,
    recordingFormatType: request.format,
    audioChannelParticipantOrdering: request.audioChannelParticipantOrdering,
    channelAffinity: request.channelAffinity?.map(({ channel, participant }) => ({ channel, participant })),
    pauseOnStart: request.pauseOnStart,
  };
  return JSON.stringify(body);
}
