// `npm start`: run the app locally against local storage. With Azure Functions Core Tools (`func`) on PATH it runs
// `func start` on the built app; without it (or with --host embedded) it runs the embedded local host
// (tools/local/embeddedHost.ts) on the TypeScript sources, and says plainly what that host does not do.
// Creates local.settings.json from the sample on first run and starts Azurite (data under .azurite/, git-ignored)
// when the settings use UseDevelopmentStorage=true and nothing listens on its ports yet; stops it again on exit.
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { isPortOpen, startAzurite, type AzuriteHandle } from './azurite.js';
import { applyLocalSettings, DEFAULT_SETTINGS_FILE, ensureLocalSettings, readLocalSettings, SAMPLE_SETTINGS_FILE } from './localSettings.js';
import { parseChoiceOption, parseIntegerOption } from '../cli/options.js';

const AZURITE_PORTS = { blobPort: 10000, queuePort: 10001, tablePort: 10002 } as const;
const DEFAULT_PORT = 7071;

const HELP = `Usage: npm start -- [options] [-- <func start options>]
  --host <auto|func|embedded>  auto (default): func start when Azure Functions Core Tools (func) is on PATH,
                               else the embedded local host; func or embedded forces one
  --port <n>                   port of the app (default ${DEFAULT_PORT})
  --settings <file>            settings file (default ${DEFAULT_SETTINGS_FILE}, created from ${SAMPLE_SETTINGS_FILE};
                               the embedded host only: func always reads ${DEFAULT_SETTINGS_FILE})
  -h, --help                   this help
Anything after a lone -- is passed to func start.`;

function hasFunc(): boolean {
  const probe = spawnSync('func', ['--version'], { stdio: 'pipe', shell: process.platform === 'win32' });
  return probe.status === 0;
}

/** Starts Azurite on its default ports when the settings point at the development storage and nothing runs there. */
async function ensureAzurite(values: Record<string, string>): Promise<AzuriteHandle | undefined> {
  const usesDevStorage = ['AzureWebJobsStorage', 'ARCHIVE_STORAGE'].some((k) => /^\s*UseDevelopmentStorage=true\s*;?\s*$/i.test(values[k] ?? ''));
  if (!usesDevStorage) return undefined;
  const open = await Promise.all(Object.values(AZURITE_PORTS).map((p) => isPortOpen(p)));
  if (open.every(Boolean)) {
    console.log('Azurite (or another storage emulator) is already listening on 10000-10002; using it.');
    return undefined;
  }
  if (open.some(Boolean)) throw new Error('Some of the Azurite ports 10000-10002 are in use by something else; free them or start Azurite yourself.');
  const azurite = await startAzurite({ ...AZURITE_PORTS, location: '.azurite' });
  console.log('Started Azurite on 127.0.0.1:10000-10002 (data in .azurite/).');
  return azurite;
}

function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runFunc(port: number, funcArgs: string[]): Promise<number> {
  console.log('Host: Azure Functions Core Tools (func start) on the built app (dist/).');
  const func = spawn('func', ['start', '--port', String(port), ...funcArgs], { stdio: 'inherit', shell: process.platform === 'win32' });
  onStopSignal((signal) => func.kill(signal));
  return new Promise<number>((resolve) => func.on('exit', (c) => resolve(c ?? 0)));
}

async function runEmbedded(port: number, settingsFile: string, why: string): Promise<number> {
  const { EMBEDDED_HOST_LIMITS, startEmbeddedHost } = await import('./embeddedHost.js');
  const time = () => new Date().toISOString().slice(11, 23);
  const host = await startEmbeddedHost({
    port,
    taskHubName: process.env.TASKHUB_NAME,
    logs: {
      push: (l) => (l.level === 'error' || l.level === 'warning' ? console.error : console.log)(`${time()} [${l.functionName ?? 'host'}] ${l.level}: ${l.message}`),
    },
  });
  console.log(
    [
      `Host: the embedded local host (${why}), listening on ${host.baseUrl}`,
      ...host.functions.map((f) => `  ${f}`),
      'Unlike the Functions host:',
      ...EMBEDDED_HOST_LIMITS.map((l) => `  - ${l}`),
      `Settings: ${settingsFile}. Press Ctrl+C to stop.`,
    ].join('\n'),
  );
  await new Promise<void>((resolve) => onStopSignal(() => resolve()));
  await host.close();
  return 0;
}

async function main(): Promise<number> {
  const { values: opts, positionals } = parseArgs({
    options: {
      host: { type: 'string', default: 'auto' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      settings: { type: 'string', default: DEFAULT_SETTINGS_FILE },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  const hostChoice = parseChoiceOption('host', opts.host, ['auto', 'func', 'embedded'] as const);
  const port = parseIntegerOption('port', opts.port, 1, 65535);
  if (ensureLocalSettings(opts.settings)) {
    console.log(`Created ${opts.settings} from ${SAMPLE_SETTINGS_FILE} (edit it to point at your ACS resource).`);
  }
  const settings = readLocalSettings(opts.settings);

  const func = hostChoice === 'embedded' ? false : hasFunc();
  if (hostChoice === 'func' && !func) {
    throw new Error('--host func: Azure Functions Core Tools v4 (`func`) is not on PATH. Install it, or run the embedded host (npm start).');
  }
  if (func && opts.settings !== DEFAULT_SETTINGS_FILE) throw new Error(`--settings works with the embedded host only: func start reads ${DEFAULT_SETTINGS_FILE}`);

  const azurite = await ensureAzurite(settings);
  try {
    if (func) return await runFunc(port, positionals);
    const overridden = applyLocalSettings(settings);
    for (const name of overridden) console.log(`${name} is set in the environment; it wins over ${opts.settings}.`);
    return await runEmbedded(port, opts.settings, hostChoice === 'embedded' ? '--host embedded' : 'func is not on PATH');
  } finally {
    await azurite?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
