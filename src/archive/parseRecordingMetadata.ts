// Reads what the manifest needs from a chunk's ACS metadata document (`…/content/acsmetadata`, reference §5):
// call id, chunk timing, participants and their channels. The document itself is archived byte for byte; this
// parse is lenient (the public example has swapped enum values and a string sampleRate) and never blocks archiving.
import { z } from 'zod';
import type { RecordingMetadataSummary } from './archiveModels.js';
import { withoutUndefined } from '../shared/withoutUndefined.js';

/** Metadata documents are small JSON; anything bigger is not summarized (it is still archived). */
export const MAX_METADATA_SUMMARY_BYTES = 4 * 1024 * 1024;

const numberish = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

const metadataSchema = z.object({
  callId: z.string().optional(),
  chunkStartTime: z.string().optional(),
  chunkDuration: numberish.optional(),
  recordingInfo: z
    .object({ contentType: z.string().optional(), channelType: z.string().optional(), format: z.string().optional() })
    .optional(),
  participants: z
    .array(z.object({ participantId: z.string(), channel: numberish.optional() }))
    .optional()
    .default([]),
});

export class RecordingMetadataParseError extends Error {
  override readonly name = 'RecordingMetadataParseError';
}

/** Parses the metadata document bytes into a summary, or throws {@link RecordingMetadataParseError}. */
export function parseRecordingMetadata(bytes: Buffer | string): RecordingMetadataSummary {
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (e) {
    throw new RecordingMetadataParseError(`The recording metadata document is not JSON: ${(e as Error).message}`);
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new RecordingMetadataParseError(
      `The recording metadata document has an unexpected shape: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const m = parsed.data;
  const channels = m.participants
    .filter((p): p is { participantId: string; channel: number } => typeof p.channel === 'number' && Number.isFinite(p.channel))
    .map((p) => ({ channel: p.channel, participantId: p.participantId }))
    .sort((a, b) => a.channel - b.channel);
  const summary: RecordingMetadataSummary = {
    participants: m.participants.map((p) => p.participantId),
    channels,
  };
  if (m.callId !== undefined) summary.callId = m.callId;
  if (m.chunkStartTime !== undefined) summary.chunkStartTime = m.chunkStartTime;
  if (m.chunkDuration !== undefined) summary.chunkDurationMs = m.chunkDuration;
  if (m.recordingInfo) {
    const info = withoutUndefined(m.recordingInfo);
    if (Object.keys(info).length) summary.recordingInfo = info;
  }
  return summary;
}
