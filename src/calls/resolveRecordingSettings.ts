// Fills the content/channel/format a control-API caller left out, then checks the combination ACS accepts.
import { validateRecordingCombination, type RecordingDefaults } from '../config.js';

export type RecordingSettings = RecordingDefaults;

/**
 * Omitted fields come from the configured defaults — except where the caller picked another content type: then an
 * omitted channel/format follows that content (`audioVideo` → `mixed`/`mp4`; `audio` → the default channel, and the
 * default format unless it is `mp4`, which becomes `wav`), so `{ content: 'audioVideo' }` works with audio defaults.
 * Returns the settings, or the reason the combination is invalid.
 */
export function resolveRecordingSettings(
  requested: Partial<RecordingSettings>,
  defaults: RecordingDefaults,
): { settings: RecordingSettings } | { error: string } {
  const content = requested.content ?? defaults.content;
  const sameContent = content === defaults.content;
  const channel = requested.channel ?? (sameContent || content === 'audio' ? defaults.channel : 'mixed');
  const format =
    requested.format ??
    (sameContent ? defaults.format : content === 'audioVideo' ? 'mp4' : defaults.format === 'mp4' ? 'wav' : defaults.format);
  const settings: RecordingSettings = { content, channel, format, pauseOnStart: requested.pauseOnStart ?? defaults.pauseOnStart };
  const error = validateRecordingCombination(settings);
  return error ? { error } : { settings };
}
