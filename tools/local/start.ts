// `npm start`: run the built app under the Functions host (`func start`) against local storage.
// Starts Azurite (data under .azurite/, git-ignored) unless something already listens on its default ports,
// creates local.settings.json from the sample on first run, and stops Azurite again when func exits.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { isPortOpen, startAzurite, type AzuriteHandle } from './azurite.js';

const AZURITE_PORTS = { blobPort: 10000, queuePort: 10001, tablePort: 10002 } as const;

function hasFunc(): boolean {
  const probe = spawnSync('func', ['--version'], { stdio: 'pipe', shell: process.platform === 'win32' });
  return probe.status === 0;
}

async function main(): Promise<number> {
  if (!existsSync('local.settings.json')) {
    copyFileSync('local.settings.sample.json', 'local.settings.json');
    console.log('Created local.settings.json from local.settings.sample.json (edit it to point at your ACS resource).');
  }
  if (!hasFunc()) {
    console.error(
      'Azure Functions Core Tools v4 (`func`) is not on PATH.\n' +
        'Install it: https://learn.microsoft.com/azure/azure-functions/functions-run-local#install-the-azure-functions-core-tools\n' +
        '(e.g. `npm i -g azure-functions-core-tools@4`, `brew install azure-functions-core-tools@4`, or `winget install Microsoft.Azure.FunctionsCoreTools`).',
    );
    return 1;
  }

  let azurite: AzuriteHandle | undefined;
  const open = await Promise.all(Object.values(AZURITE_PORTS).map((p) => isPortOpen(p)));
  if (open.every(Boolean)) {
    console.log('Azurite (or another storage emulator) is already listening on 10000-10002; using it.');
  } else if (open.some(Boolean)) {
    console.error('Some of the Azurite ports 10000-10002 are in use by something else; free them or start Azurite yourself.');
    return 1;
  } else {
    azurite = await startAzurite({ ...AZURITE_PORTS, location: '.azurite' });
    console.log('Started Azurite on 127.0.0.1:10000-10002 (data in .azurite/).');
  }

  const func = spawn('func', ['start', ...process.argv.slice(2)], { stdio: 'inherit', shell: process.platform === 'win32' });
  const forward = (signal: NodeJS.Signals) => func.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => func.on('exit', (c) => resolve(c ?? 0)));
  await azurite?.stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
