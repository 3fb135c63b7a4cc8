// The emulator's side of POST /calling/recordings (the app's control-API body parser is src/calls/parseStartRecordingBody.ts):
// validates a `StartCallRecordingRequest` body (reference §1.3) into a StartRecordingInput, or throws a 400
// CommunicationErrorResponse whose message names the offending field. `null` is treated as absent.
import { z } from 'zod';
import { AcsErrors } from '../errors/acsErrors.js';
import { isBase64 } from '../ids/mintServerCallId.js';
import type { StartRecordingInput } from '../recordings/RecordingLifecycle.js';

const identifier = z
  .object({
    kind: z.string().optional(),
    rawId: z.string().optional(),
    communicationUser: z.object({ id: z.string().min(1) }).optional(),
    phoneNumber: z.object({ value: z.string().min(1), isAnonymous: z.boolean().optional(), assertedId: z.string().optional() }).optional(),
    microsoftTeamsUser: z.object({ userId: z.string().min(1), isAnonymous: z.boolean().optional(), cloud: z.string().optional() }).optional(),
    microsoftTeamsApp: z.object({ appId: z.string().min(1), cloud: z.string().optional() }).optional(),
    teamsExtensionUser: z.object({ userId: z.string().min(1), tenantId: z.string().min(1), resourceId: z.string().optional(), cloud: z.string().optional() }).optional(),
  })
  .refine((i) => !!(i.rawId || i.communicationUser || i.phoneNumber || i.microsoftTeamsUser || i.microsoftTeamsApp || i.teamsExtensionUser), {
    message: 'a CommunicationIdentifierModel needs rawId or one of communicationUser, phoneNumber, microsoftTeamsUser, microsoftTeamsApp, teamsExtensionUser',
  });

const camelEnum = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { message: `${field} must be one of ${values.join(', ')} (camelCase)` });

const schema = z.object({
  callLocator: z
    .object({
      kind: z.string().optional(),
      serverCallId: z.string().optional(),
      groupCallId: z.string().optional(),
      roomId: z.string().optional(),
    })
    .optional(),
  callConnectionId: z.string().min(1, 'callConnectionId must not be empty').optional(),
  recordingStateCallbackUri: z.url({ message: 'recordingStateCallbackUri must be an absolute URI' }).optional(),
  recordingContentType: camelEnum('recordingContentType', ['audio', 'audioVideo'] as const).optional(),
  recordingChannelType: camelEnum('recordingChannelType', ['mixed', 'unmixed'] as const).optional(),
  recordingFormatType: camelEnum('recordingFormatType', ['wav', 'mp3', 'mp4'] as const).optional(),
  audioChannelParticipantOrdering: z.array(identifier).optional(),
  channelAffinity: z
    .array(
      z.object({
        channel: z.number().int('channelAffinity channel must be an integer').min(0, 'channelAffinity channel must be 0..4').max(4, 'channelAffinity channel must be 0..4'),
        participant: identifier,
      }),
    )
    .optional(),
  pauseOnStart: z.boolean().optional(),
  externalStorage: z
    .object({
      recordingStorageKind: camelEnum('externalStorage.recordingStorageKind', ['azureCommunicationServices', 'azureBlobStorage'] as const),
      recordingDestinationContainerUrl: z.url().optional(),
    })
    .optional(),
});

/** Removes `null` members of plain objects, recursively (explicit nulls mean "absent" on the wire). */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
  }
  return value;
}

function fail(message: string): never {
  throw AcsErrors.badRequest(message);
}

export function parseStartCallRecordingRequest(raw: Buffer): StartRecordingInput {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    fail('The request body is not valid JSON.');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('The request body must be a JSON object.');
  const parsed = schema.safeParse(dropNulls(json));
  if (!parsed.success) {
    fail(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  const b = parsed.data;

  if (b.callLocator && b.callConnectionId) fail('Only one of callLocator or callConnectionId can be specified.');
  if (!b.callLocator && !b.callConnectionId) fail('Either callLocator or callConnectionId is required.');
  let target: StartRecordingInput['target'];
  if (b.callLocator) {
    const { kind, serverCallId } = b.callLocator;
    if (kind === 'roomCallLocator') fail('callLocator: roomCallLocator is not supported for start recording.');
    if (kind === 'groupCallLocator') fail('callLocator: groupCallLocator is not supported by the emulator; use serverCallLocator.');
    if (kind !== undefined && kind !== 'serverCallLocator') fail(`callLocator.kind must be serverCallLocator, got "${kind}".`);
    if (!serverCallId) fail('callLocator.serverCallId is required.');
    if (!isBase64(serverCallId)) fail('callLocator.serverCallId: The input is not a valid Base-64 string.');
    target = { serverCallId };
  } else {
    target = { callConnectionId: b.callConnectionId! };
  }

  // Defaults when a field is absent: the service's default recording is mixed audioVideo mp4; audio defaults to wav.
  const content = b.recordingContentType ?? 'audioVideo';
  const channel = b.recordingChannelType ?? 'mixed';
  const format = b.recordingFormatType ?? (content === 'audioVideo' ? 'mp4' : 'wav');
  if (content === 'audioVideo' && (channel !== 'mixed' || format !== 'mp4')) fail('audioVideo recordings must use recordingChannelType mixed and recordingFormatType mp4.');
  if (content === 'audio' && format === 'mp4') fail('recordingFormatType mp4 is only supported for audioVideo recordings.');
  if (channel === 'unmixed' && format !== 'wav') fail('unmixed recordings must use recordingFormatType wav.');
  if (b.channelAffinity?.length && channel !== 'unmixed') fail('channelAffinity is only supported for unmixed recordings.');
  if (b.audioChannelParticipantOrdering?.length && channel !== 'unmixed') fail('audioChannelParticipantOrdering is only supported for unmixed recordings.');
  if (b.channelAffinity) {
    const channels = b.channelAffinity.map((a) => a.channel);
    if (new Set(channels).size !== channels.length) fail('channelAffinity assigns the same channel twice.');
  }
  if (b.externalStorage?.recordingStorageKind === 'azureBlobStorage' && !b.externalStorage.recordingDestinationContainerUrl) {
    fail('externalStorage.recordingDestinationContainerUrl is required for azureBlobStorage.');
  }

  return {
    target,
    content,
    channel,
    format,
    pauseOnStart: b.pauseOnStart ?? false,
    recordingStateCallbackUri: b.recordingStateCallbackUri,
    channelAffinity: b.channelAffinity,
    audioChannelParticipantOrdering: b.audioChannelParticipantOrdering,
    startRequestBody: json,
  };
}
