// The CLI starts the emulator with the given options, prints how to reach it, and exits cleanly on SIGINT.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

describe('npm run emulator (tools/acs-emulator/cli.ts)', () => {
  it('prints connection string, resource id and OpenID URL, serves them, and stops on SIGINT', { timeout: 30_000 }, async () => {
    const resourceId = randomUUID();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/acs-emulator/cli.ts', '--port', '0', '--access-key', KEY, '--media-origin', 'https://eus.storage.asm.skype.com', '--resource-id', resourceId],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          if (out.includes('Press Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`cli exited early with ${code}: ${out}`)));
      });
      const connectionString = /ACS_CONNECTION_STRING=(\S+)/.exec(out)?.[1];
      expect(connectionString).toMatch(new RegExp(`^endpoint=http://127\\.0\\.0\\.1:\\d+/;accesskey=${KEY.replace(/[+/=]/g, '\\$&')}$`));
      expect(out).toContain(`ACS_RESOURCE_ID=${resourceId}`);
      expect(out).toContain('https://eus.storage.asm.skype.com');
      const openIdUrl = /ACS_OPENID_CONFIG_URL=(\S+)/.exec(out)?.[1];
      const config = (await (await fetch(openIdUrl!)).json()) as { issuer: string };
      expect(config.issuer).toBe('https://acscallautomation.communication.azure.com');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    }
  });
});
