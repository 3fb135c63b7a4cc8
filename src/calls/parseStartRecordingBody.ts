// Validates a `POST /api/recordings` body into a typed start command: every field checked, omitted settings filled
// from the configured defaults, the content/channel/format combination checked, raw participant IDs converted to
// ACS identifier models.
import { z } from 'zod';
import type { RecordingDefaults } from '../config.js';
import { identifierFromRawId } from '../acs/identifierFromRawId.js';
import { RECORDING_CHANNELS, RECORDING_CONTENTS, RECORDING_FORMATS, type CallTarget, type ChannelAffinity, type CommunicationIdentifierModel } from '../acs/models.js';
import { MAX_CALL_CONNECTION_ID_LENGTH, MAX_SERVER_CALL_ID_LENGTH } from '../shared/acsIds.js';
import { ValidationError } from '../shared/errors.js';
import { resolveRecordingSettings, type RecordingSettings } from './resolveRecordingSettings.js';
import { zodIssues } from './zodIssues.js';

/** A validated start request of the control API. */
export interface StartRecordingCommand {
  target: CallTarget;
  settings: RecordingSettings;
  channelAffinity?: ChannelAffinity[];
  audioChannelParticipantOrdering?: CommunicationIdentifierModel[];
}

/** ACS channels of an unmixed recording: 0 to 4 (reference §1.3). */
export const MAX_AUDIO_CHANNEL = 4;

const rawId = z
  .string()
  .trim()
  .max(512)
  .regex(/^\d+:\S+$/, 'must be a raw identifier such as "8:acs:<resource>_<user>" or "4:+14255550123"');

const bodySchema = z
  .strictObject({
    serverCallId: z.string().trim().min(1).max(MAX_SERVER_CALL_ID_LENGTH).optional(),
    callConnectionId: z.string().trim().min(1).max(MAX_CALL_CONNECTION_ID_LENGTH).optional(),
    content: z.enum(RECORDING_CONTENTS).optional(),
    channel: z.enum(RECORDING_CHANNELS).optional(),
    format: z.enum(RECORDING_FORMATS).optional(),
    pauseOnStart: z.boolean().optional(),
    channelAffinity: z
      .array(z.strictObject({ channel: z.number().int().min(0).max(MAX_AUDIO_CHANNEL), participant: rawId }))
      .min(1)
      .max(MAX_AUDIO_CHANNEL + 1)
      .optional(),
    audioChannelParticipantOrdering: z.array(rawId).min(1).max(100).optional(),
  })
  .refine((b) => (b.serverCallId === undefined) !== (b.callConnectionId === undefined), {
    message: 'exactly one of serverCallId or callConnectionId is required',
    path: ['serverCallId'],
  });

export function parseStartRecordingBody(body: unknown, defaults: RecordingDefaults): StartRecordingCommand {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw new ValidationError('The start request is not valid', zodIssues(parsed.error));
  const b = parsed.data;

  const resolved = resolveRecordingSettings(b, defaults);
  if ('error' in resolved) {
    throw new ValidationError(`Unsupported recording combination: ${resolved.error}`, [
      { path: 'content', message: resolved.error },
    ]);
  }
  const { settings } = resolved;
  if ((b.channelAffinity || b.audioChannelParticipantOrdering) && settings.channel !== 'unmixed') {
    throw new ValidationError('channelAffinity and audioChannelParticipantOrdering are only valid for unmixed recordings', [
      { path: b.channelAffinity ? 'channelAffinity' : 'audioChannelParticipantOrdering', message: `channel is "${settings.channel}"` },
    ]);
  }
  const channels = b.channelAffinity?.map((a) => a.channel) ?? [];
  if (new Set(channels).size !== channels.length) {
    throw new ValidationError('channelAffinity assigns the same channel twice', [{ path: 'channelAffinity', message: 'duplicate channel' }]);
  }

  return {
    target: b.serverCallId !== undefined ? { serverCallId: b.serverCallId } : { callConnectionId: b.callConnectionId! },
    settings,
    channelAffinity: b.channelAffinity?.map((a) => ({ channel: a.channel, participant: identifierFromRawId(a.participant) })),
    audioChannelParticipantOrdering: b.audioChannelParticipantOrdering?.map((id) => identifierFromRawId(id)),
  };
}
