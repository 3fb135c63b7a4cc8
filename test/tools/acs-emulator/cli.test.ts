// `npm run emulator` works with the sample settings out of the box, and its --help describes every option.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sampleEmulatorSettings } from '../../../tools/acs-emulator/sampleSettings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('npm run emulator', () => {
  it('defaults to the port and access key of local.settings.sample.json', () => {
    const sample = (JSON.parse(readFileSync(path.join(root, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }).Values;
    const { port, accessKey } = sampleEmulatorSettings();
    expect(sample.ACS_CONNECTION_STRING).toBe(`endpoint=http://127.0.0.1:${port}/;accesskey=${accessKey}`);
    expect(sample.ACS_MEDIA_ALLOWED_ORIGINS).toBe(`http://127.0.0.1:${port}`);
  });

  it('--help describes every option it accepts', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/acs-emulator/cli.ts', '--help'], { cwd: root });
    const source = readFileSync(path.join(root, 'tools/acs-emulator/cli.ts'), 'utf8');
    const options = [...source.slice(source.indexOf('parseArgs({')).matchAll(/^ {6}'?([a-z-]+)'?: \{ type:/gm)].map((m) => m[1]!);
    expect(options.length).toBeGreaterThan(10);
    for (const option of options) expect(stdout, option).toMatch(new RegExp(`--${option}\\b.*\\S`));
    expect(stdout).toContain(`--port <n>                 port on 127.0.0.1 (default ${sampleEmulatorSettings().port}, from local.settings.sample.json)`);
  });
});
