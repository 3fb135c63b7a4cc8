// Where the app's sample settings (local.settings.sample.json) expect the emulator: the port and access key of their
// ACS_CONNECTION_STRING. `npm run emulator` with no options listens there, so it works with the sample settings.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_SETTINGS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../local.settings.sample.json');

export function sampleEmulatorSettings(file = SAMPLE_SETTINGS_PATH): { port: number; accessKey: string } {
  const values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
  const match = /endpoint=(.*);accesskey=(.*)/i.exec(values.ACS_CONNECTION_STRING ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`${file} has no ACS_CONNECTION_STRING endpoint=…;accesskey=…`);
  return { port: Number(new URL(match[1]).port), accessKey: match[2] };
}
