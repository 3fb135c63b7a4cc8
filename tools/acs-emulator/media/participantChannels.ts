// Which participant is on which channel, for the metadata document's `participants[]` (§5).
import type { EmulatorRecording } from '../types.js';

interface IdentifierLike {
  rawId?: string;
  communicationUser?: { id?: string };
  phoneNumber?: { value?: string };
  microsoftTeamsUser?: { userId?: string };
  microsoftTeamsApp?: { appId?: string };
}

/** The raw id (MRI) of a CommunicationIdentifierModel. */
export function rawIdOf(identifier: unknown): string | undefined {
  const id = (identifier ?? {}) as IdentifierLike;
  if (id.rawId) return id.rawId;
  if (id.communicationUser?.id) return id.communicationUser.id;
  if (id.phoneNumber?.value) return `4:${id.phoneNumber.value}`;
  if (id.microsoftTeamsUser?.userId) return `8:orgid:${id.microsoftTeamsUser.userId}`;
  if (id.microsoftTeamsApp?.appId) return `28:orgid:${id.microsoftTeamsApp.appId}`;
  return undefined;
}

/**
 * Participants with channels. Unmixed: `audioChannelParticipantOrdering` gives channels 0.., `channelAffinity` pins
 * channels, the rest follow in call order (max 5 channels). Mixed: everybody is on channel 0.
 */
export function participantChannels(
  recording: Pick<EmulatorRecording, 'channel' | 'channelAffinity' | 'audioChannelParticipantOrdering'>,
  callParticipants: string[],
): { participantId: string; channel: number }[] {
  if (recording.channel !== 'unmixed') return callParticipants.map((participantId) => ({ participantId, channel: 0 }));
  const result = new Map<string, number>();
  const used = new Set<number>();
  for (const a of (recording.channelAffinity as { channel: number; participant: unknown }[] | undefined) ?? []) {
    const raw = rawIdOf(a.participant);
    if (raw && !result.has(raw)) {
      result.set(raw, a.channel);
      used.add(a.channel);
    }
  }
  const ordered = ((recording.audioChannelParticipantOrdering as unknown[] | undefined) ?? []).map(rawIdOf).filter((r): r is string => !!r);
  let next = 0;
  for (const raw of [...ordered, ...callParticipants]) {
    if (result.has(raw)) continue;
    while (used.has(next)) next++;
    if (next > 4) break;
    result.set(raw, next);
    used.add(next);
  }
  return [...result].map(([participantId, channel]) => ({ participantId, channel }));
}
