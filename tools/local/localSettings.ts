// The app's local settings file (local.settings.json, `{ "Values": { NAME: value } }`), read the way the local tools
// need it: `npm start` (both hosts) and `npm run simulate` read the same file, with one clear error when it is
// missing or malformed.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';

export const DEFAULT_SETTINGS_FILE = 'local.settings.json';
export const SAMPLE_SETTINGS_FILE = 'local.settings.sample.json';

/** The `Values` of a local settings file. */
export function readLocalSettings(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Settings file ${file} not found (npm start creates local.settings.json from ${SAMPLE_SETTINGS_FILE}; or pass --settings <file>)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`Settings file ${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const values = (parsed as { Values?: unknown } | null)?.Values;
  if (!values || typeof values !== 'object' || Array.isArray(values)) throw new Error(`Settings file ${file} has no "Values" object`);
  return Object.fromEntries(Object.entries(values as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** Creates local.settings.json from the sample on the first run; returns whether it did. */
export function ensureLocalSettings(file: string): boolean {
  if (file !== DEFAULT_SETTINGS_FILE || existsSync(file)) return false;
  copyFileSync(SAMPLE_SETTINGS_FILE, file);
  return true;
}

/**
 * Puts the settings into process.env as the Functions host does for local.settings.json: a variable already set in
 * the environment wins. Returns the names whose value came from the environment instead of the file.
 */
export function applyLocalSettings(values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): string[] {
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) {
      if (env[name] !== value) overridden.push(name);
      continue;
    }
    env[name] = value;
  }
  return overridden;
}
