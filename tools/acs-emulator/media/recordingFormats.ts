// Encoding facts of ACS recordings (reference §5, "Media formats"), used to derive plausible durations and metadata.
import type { EmulatorRecording } from '../types.js';

type Shape = Pick<EmulatorRecording, 'content' | 'channel' | 'format'>;

export const SAMPLE_RATE = 16_000;

/** Audio bit rate of one channel: wav 256 kbps, mp3 48 kbps; mp4 audio is AAC (not documented; 32 kbps assumed). */
export function audioBitRate(format: Shape['format']): number {
  return format === 'wav' ? 256_000 : format === 'mp3' ? 48_000 : 32_000;
}

/** Bits per second of the whole file: mp4 is ~7.5 MB/min (≈1 Mbps); unmixed wav has one channel per participant. */
export function fileBitRate(shape: Shape, channels: number): number {
  if (shape.content === 'audioVideo') return 1_000_000;
  return audioBitRate(shape.format) * (shape.channel === 'unmixed' ? channels : 1);
}

/** How long a chunk of `sizeBytes` plays, in ms (at least 1). */
export function chunkDurationMs(shape: Shape, channels: number, sizeBytes: number): number {
  return Math.max(1, Math.round((sizeBytes * 8 * 1000) / fileBitRate(shape, channels)));
}

/** `recordingInfo` of the metadata document (§5). */
export function recordingInfo(shape: Shape, channels: number): object {
  const info: Record<string, unknown> = {
    contentType: shape.content,
    channelType: shape.channel,
    format: shape.format,
    audioConfiguration: { sampleRate: SAMPLE_RATE, bitRate: audioBitRate(shape.format), channels },
  };
  if (shape.content === 'audioVideo') {
    info.videoConfiguration = { longerSideLength: 1920, shorterSideLength: 1080, framerate: 16, bitRate: 1_000_000 };
  }
  return info;
}
