// `npm start` without `func`, then `npm run simulate`, as a newcomer runs them: both tools as child processes
// (tools/local/start.ts on the embedded host, tools/local/simulate.ts), on free ports, with a temporary settings file
// pointing at the test run's Azurite. The simulation must archive a call end to end and print the verified blobs.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../../tools/local/azurite.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sample = (JSON.parse(readFileSync(path.join(root, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }).Values;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a tool under tsx, as `npm start` / `npm run simulate` do, with only the settings file's values as settings. */
function runTool(script: string, args: string[], settingNames: string[]): Run {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !settingNames.includes(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(run: Run, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode} before printing ${pattern}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`did not print ${pattern} within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir: string;
let settingsFile: string;
let appPort: number;
let emulatorPort: number;
let values: Record<string, string>;
let start: Run | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'acs-start-'));
  settingsFile = path.join(dir, 'local.settings.json');
  appPort = await freePort();
  emulatorPort = await freePort();
  const suffix = Date.now();
  values = {
    ...sample,
    AzureWebJobsStorage: inject('storageConnectionString'),
    ACS_CONNECTION_STRING: sample.ACS_CONNECTION_STRING!.replace('127.0.0.1:8123', `127.0.0.1:${emulatorPort}`),
    ACS_OPENID_CONFIG_URL: sample.ACS_OPENID_CONFIG_URL!.replace('127.0.0.1:8123', `127.0.0.1:${emulatorPort}`),
    ACS_MEDIA_ALLOWED_ORIGINS: `http://127.0.0.1:${emulatorPort}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${appPort}`,
    STATE_TABLE_NAME: `startstate${suffix}`,
    ARCHIVE_CONTAINER: `start${suffix}`,
    ARCHIVE_BLOCK_SIZE_MIB: '1',
  };
  writeFileSync(settingsFile, JSON.stringify({ IsEncrypted: false, Values: values }, null, 2));
  start = runTool('tools/local/start.ts', ['--host', 'embedded', '--port', String(appPort), '--settings', settingsFile], Object.keys(values));
  await waitForOutput(start, /listening on http:\/\/localhost:\d+/, 45_000);
}, 60_000);

afterAll(async () => {
  if (start && start.child.exitCode === null) {
    start.child.kill('SIGTERM');
    await start.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run simulate, before anything runs', () => {
  it('explains the clash when something other than the emulator holds the ACS port', async () => {
    const port = await freePort();
    const squatter = http.createServer((_req, res) => res.writeHead(404).end('not here'));
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    const other = path.join(dir, 'squatted.settings.json');
    const acs = values.ACS_CONNECTION_STRING!.replace(`127.0.0.1:${emulatorPort}`, `127.0.0.1:${port}`);
    writeFileSync(other, JSON.stringify({ IsEncrypted: false, Values: { ...values, ACS_CONNECTION_STRING: acs } }));
    try {
      const simulate = runTool('tools/local/simulate.ts', ['--app', `http://127.0.0.1:${appPort}`, '--settings', other], Object.keys(values));
      expect(await simulate.exited).toBe(1);
      expect(simulate.output()).toContain(`Port ${port} (ACS_CONNECTION_STRING) is already in use. What listens at http://127.0.0.1:${port}/ is not the project's ACS emulator`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('names the URL and suggests npm start when the app is not reachable', async () => {
    const port = await freePort();
    const simulate = runTool('tools/local/simulate.ts', ['--app', `http://127.0.0.1:${port}`, '--settings', settingsFile], Object.keys(values));
    expect(await simulate.exited).toBe(1);
    expect(simulate.output()).toContain(`The app is not reachable at http://127.0.0.1:${port} (ECONNREFUSED). Start it with \`npm start\``);
  });

  it.each([
    [['--chunks', 'abc'], '--chunks must be an integer from 1 to 100, got "abc"'],
    [['--fault', '404:x'], '--fault must be reset:<bytes>, 500 (any 5xx), 429:<seconds> or 404, got "404:x"'],
    [['--content', 'video'], '--content must be audio, audioVideo; got "video"'],
  ])('rejects %j naming the option', async (args, message) => {
    const simulate = runTool('tools/local/simulate.ts', [...args, '--settings', settingsFile], Object.keys(values));
    expect(await simulate.exited).toBe(1);
    expect(simulate.output()).toContain(message);
  });
});

describe('npm start without func, then npm run simulate', () => {
  it('says which host runs and what the embedded one does not do', () => {
    const banner = start!.output();
    expect(banner).toContain(`Host: the embedded local host (--host embedded), listening on http://localhost:${appPort}`);
    expect(banner).toContain(`callAutomationCallback: [POST] http://localhost:${appPort}/api/callbacks/call-automation`);
    expect(banner).toContain(`recordingFileStatusUpdated: eventGridTrigger http://localhost:${appPort}/runtime/webhooks/EventGrid?functionName=recordingFileStatusUpdated`);
    expect(banner).toMatch(/function keys are not checked/);
    expect(banner).toMatch(/orchestrations do not survive a restart/);
  });

  it('archives a whole call end to end and prints every verified blob', async () => {
    const simulate = runTool(
      'tools/local/simulate.ts',
      ['--app', `http://127.0.0.1:${appPort}`, '--settings', settingsFile, '--chunks', '2', '--chunk-size', '300000', '--record-for', '100', '--timeout', '60000'],
      Object.keys(values),
    );
    const code = await simulate.exited;
    const out = simulate.output();
    expect(code, out).toBe(0);
    expect(out).toContain('OK: every blob matches the emulator bytes.');
    const blobLines = out.split('\n').filter((l) => /chunk-\d{4}-.*\s+\d+\s+yes$/.test(l));
    expect(blobLines, out).toHaveLength(4);
    expect(out.match(/source deleted/g) ?? []).toHaveLength(2);

    // What landed in storage, independently of the tool's own report.
    const container = BlobServiceClient.fromConnectionString(values.AzureWebJobsStorage!).getContainerClient(values.ARCHIVE_CONTAINER!);
    const names: string[] = [];
    for await (const b of container.listBlobsFlat()) if (!b.name.startsWith('_plans/')) names.push(b.name);
    expect(names.filter((n) => /chunk-\d{4}-.*\.wav$/.test(n))).toHaveLength(2);
    expect(names.filter((n) => n.endsWith('manifest.json'))).toHaveLength(1);
    // The embedded host printed the app's own log lines, attributed to their functions.
    expect(start!.output()).toMatch(/\[callAutomationCallback\] information: /);
  }, 90_000);

  it('stops waiting when the manifest says failed, prints each chunk\'s failures and exits 2', async () => {
    const simulate = runTool(
      'tools/local/simulate.ts',
      ['--app', `http://127.0.0.1:${appPort}`, '--settings', settingsFile, '--chunks', '1', '--chunk-size', '1000', '--record-for', '0', '--fault', '404', '--timeout', '60000'],
      Object.keys(values),
    );
    const code = await simulate.exited;
    const out = simulate.output();
    expect(code, out).toBe(2);
    expect(out).toContain('The manifest says failed: not waiting any longer.');
    expect(out).toMatch(/manifest: +manifest\.json, status failed/);
    expect(out).toMatch(/chunk 0 \S+: failed, source kept\n +content \(.*HTTP 404.*\)/);
    expect(out).toContain('FAILED: the archive is failed; see the chunks above.');
  }, 90_000);

  it('npm run emulator -- --call plays a call that curl stops and the archive finishes', async () => {
    const accessKey = /accesskey=(.*)$/.exec(values.ACS_CONNECTION_STRING!)![1]!;
    const emulator = runTool(
      'tools/acs-emulator/cli.ts',
      [
        '--port', String(emulatorPort), '--access-key', accessKey, '--chunks', '1', '--chunk-size', '5000',
        '--call', `http://127.0.0.1:${appPort}/api/callbacks/call-automation`,
        '--event-grid-url', `http://127.0.0.1:${appPort}/runtime/webhooks/EventGrid?functionName=recordingFileStatusUpdated`,
      ],
      Object.keys(values),
    );
    try {
      await waitForOutput(emulator, /Stop it with: curl -X DELETE (\S+)/, 45_000);
      const [, recordingId, stopUrl] = /Recording (\S+) started\. Stop it with: curl -X DELETE (\S+)/.exec(emulator.output())!;
      expect((await fetch(stopUrl!, { method: 'DELETE' })).status).toBe(200);
      await waitForOutput(emulator, /RecordingFileStatusUpdated of 1 chunk\(s\) published to \S+: HTTP 202/, 30_000);
      const container = BlobServiceClient.fromConnectionString(values.AzureWebJobsStorage!).getContainerClient(values.ARCHIVE_CONTAINER!);
      const deadline = Date.now() + 30_000;
      let manifest: string | undefined;
      while (!manifest && Date.now() < deadline) {
        for await (const b of container.listBlobsFlat({ includeMetadata: true })) {
          if (b.metadata?.recordingid === recordingId && b.metadata?.kind === 'manifest') manifest = b.name;
        }
        if (!manifest) await new Promise((r) => setTimeout(r, 250));
      }
      expect(manifest, emulator.output()).toBeDefined();
      const body = JSON.parse((await container.getBlobClient(manifest!).downloadToBuffer()).toString('utf8')) as { status: string };
      expect(body.status).toBe('archived');
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
    }
  }, 90_000);

  it('npm run simulate reuses the emulator `npm run emulator` already runs on the configured port', async () => {
    const accessKey = /accesskey=(.*)$/.exec(values.ACS_CONNECTION_STRING!)![1]!;
    const emulator = runTool('tools/acs-emulator/cli.ts', ['--port', String(emulatorPort), '--access-key', accessKey], Object.keys(values));
    try {
      await waitForOutput(emulator, /Press Ctrl\+C to stop/, 45_000);
      const simulate = runTool(
        'tools/local/simulate.ts',
        ['--app', `http://127.0.0.1:${appPort}`, '--settings', settingsFile, '--chunks', '1', '--chunk-size', '20000', '--record-for', '0', '--timeout', '60000'],
        Object.keys(values),
      );
      const code = await simulate.exited;
      const out = simulate.output();
      expect(code, out).toBe(0);
      expect(out).toContain(`Reusing the ACS emulator already listening at http://127.0.0.1:${emulatorPort}/`);
      expect(out).toContain('OK: every blob matches the emulator bytes.');
      // The running emulator served the recording the simulation played (its request log shows the downloads).
      expect(emulator.output()).toMatch(/GET downloadContent 20[06]/);
      expect(emulator.child.exitCode).toBeNull();
    } finally {
      emulator.child.kill('SIGTERM');
      await emulator.exited;
    }
  }, 90_000);

  it('stops on SIGTERM', async () => {
    start!.child.kill('SIGTERM');
    expect(await start!.exited).toBe(0);
  });
});
