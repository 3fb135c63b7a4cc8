// What `func start` loads: the compiled JavaScript that package.json `main` points at, imported by plain Node ESM
// (not vitest's transform). Proves the build output resolves (.js specifiers, CommonJS interop) and registers every
// function the host must find, with the bindings it needs.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'node_modules', '.cache', 'built-app-test');

interface Registered {
  name: string;
  bindings: Record<string, { type: string; direction: string; route?: string; methods?: string[]; authLevel?: string }>;
}
let registered: Registered[];

beforeAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  await exec(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir], { cwd: root });
  // The build sits under node_modules/ here, outside the app's package scope: restate that it is ESM.
  writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
  const mainDir = path.join(outDir, path.dirname(main).replace(/^dist\/?/, ''));
  const pattern = new RegExp(`^${path.basename(main).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
  const files = readdirSync(mainDir).filter((f) => pattern.test(f)).map((f) => pathToFileURL(path.join(mainDir, f)).href);
  mkdirSync(outDir, { recursive: true });
  const preload = path.join(outDir, 'preload.cjs');
  writeFileSync(
    preload,
    `const Module = require('node:module'); const orig = Module._resolveFilename;
     Module._resolveFilename = function (r, ...a) { return r === '@azure/functions-core' ? ${JSON.stringify(path.join(root, 'tools', 'local', 'host', 'fake-functions-core.cjs'))} : orig.call(this, r, ...a); };`,
  );
  const script = `const core = require(${JSON.stringify(path.join(root, 'tools', 'local', 'host', 'fake-functions-core.cjs'))});
    (async () => { for (const f of ${JSON.stringify(files)}) await import(f);
      console.log(JSON.stringify([...core.registered.values()].map((r) => ({ name: r.metadata.name, bindings: r.metadata.bindings })))); })()
      .catch((e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await exec(process.execPath, ['--require', preload, '-e', script], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
  registered = JSON.parse(stdout.trim().split('\n').pop()!) as Registered[];
}, 120_000);

function trigger(name: string) {
  const fn = registered.find((r) => r.name === name);
  expect(fn, `function ${name} registered by the build`).toBeDefined();
  return Object.values(fn!.bindings).find((b) => b.type.endsWith('Trigger'))!;
}

describe('the built app as the Functions host loads it', () => {
  it('registers the HTTP functions with their routes, methods and auth levels', () => {
    expect(trigger('callAutomationCallback')).toMatchObject({ type: 'httpTrigger', route: 'callbacks/call-automation', methods: ['POST'], authLevel: 'anonymous' });
    const api = registered.filter((r) => Object.values(r.bindings).some((b) => b.type === 'httpTrigger' && b.route?.startsWith('recordings')));
    expect(api.map((r) => Object.values(r.bindings).find((b) => b.type === 'httpTrigger')!.authLevel)).toEqual(api.map(() => 'function'));
    const routes = api.map((r) => {
      const b = Object.values(r.bindings).find((x) => x.type === 'httpTrigger')!;
      return `${b.methods!.join(',')} ${b.route}`;
    });
    expect(routes.sort()).toEqual(['DELETE recordings/{id}', 'GET recordings', 'GET recordings/{id}', 'GET recordings/{id}/chunks/{index}/{file}', 'POST recordings', 'POST recordings/{id}/archive', 'POST recordings/{id}/pause', 'POST recordings/{id}/resume']);
    const redrive = registered.find((r) => r.name === 'redriveArchive')!;
    expect(Object.values(redrive.bindings).some((b) => b.type === 'durableClient')).toBe(true);
  });

  it('registers the Event Grid trigger with a durable client, and the orchestration with its activities', () => {
    expect(trigger('recordingFileStatusUpdated').type).toBe('eventGridTrigger');
    const eg = registered.find((r) => r.name === 'recordingFileStatusUpdated')!;
    expect(Object.values(eg.bindings).some((b) => b.type === 'durableClient')).toBe(true);
    expect(trigger('callStartedEvents').type).toBe('eventGridTrigger');
    expect(trigger('archiveRecording').type).toBe('orchestrationTrigger');
    expect(registered.filter((r) => Object.values(r.bindings).some((b) => b.type === 'activityTrigger')).length).toBeGreaterThan(0);
    // Names are unique, as the real worker requires.
    expect(new Set(registered.map((r) => r.name)).size).toBe(registered.length);
  });
});
