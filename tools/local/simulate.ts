// `npm run simulate`: drive one whole recorded call against the locally running app (`npm start`) with the ACS
// emulator, then print what landed in Blob Storage. Reads the app's settings file (local.settings.json) so the
// emulator listens where ACS_CONNECTION_STRING points and signs with the same key; when an emulator already listens
// there (`npm run emulator`), the simulation drives that one over its remote control instead. Exit code: 0 archived and
// verified, 2 the archive ended partial/failed or did not verify, 1 anything else (bad option, app unreachable, …).
import { parseArgs } from 'node:util';
import { blobServiceClientFor } from '../../src/shared/storageClients.js';
import { loadConfig } from '../../src/config.js';
import { connectAcsEmulator, RemoteEmulatorError, type RemoteAcsEmulator } from '../acs-emulator/control/remoteEmulator.js';
import { startAcsEmulator, type FaultRule } from '../acs-emulator/index.js';
import { OptionError, parseChoiceOption, parseIntegerOption } from '../cli/options.js';
import { DEFAULT_SETTINGS_FILE, readLocalSettings } from './localSettings.js';
import { formatReport, runSimulation, type SimulationEmulator } from './simulation.js';

const HELP = `Usage: npm run simulate -- [options]
  --app <url>            base URL of the running app (default http://localhost:7071)
  --chunks <n>           recording chunks to produce, 1-100 (default 2)
  --chunk-size <bytes>   bytes per chunk (default 1048576)
  --record-for <ms>      how long the call records before it is stopped (default 2000)
  --content <audio|audioVideo> --channel <mixed|unmixed> --format <wav|mp3|mp4>
                         start the recording through the control API with these options instead of
                         relying on auto-start on CallConnected
  --via <callback|call-started>
                         how the app learns of the call: CallConnected to its callback (default), or only
                         Event Grid CallStarted (needs RECORD_ON_CALL_STARTED=true); the call then ends with
                         CallEnded instead of a stop through the API
  --fault <spec>         inject a fault while archiving, repeatable: reset:<bytes> | 5xx (e.g. 500) | 429:<seconds> | 404
  --function-key <key>   x-functions-key for the control API, if your host enforces keys
  --timeout <ms>         give up waiting after this long (default 300000)
  --settings <file>      the app's settings file (default ${DEFAULT_SETTINGS_FILE}): where the emulator listens
                         (ACS_CONNECTION_STRING), the archive storage and container, CALLBACK_TOKEN
  -h, --help             this help`;

function parseFault(spec: string): FaultRule {
  const [kind, arg] = spec.split(':');
  if (kind === 'reset') {
    return { operation: 'downloadContent', fault: { type: 'reset', afterBytes: arg === undefined ? 65536 : parseIntegerOption('fault reset:<bytes>', arg, 0) } };
  }
  if (kind === '429') {
    return { operation: 'downloadContent', fault: { type: 'throttle', retryAfterSeconds: arg === undefined ? 1 : parseIntegerOption('fault 429:<seconds>', arg, 0, 3600) } };
  }
  if (kind === '404' && arg === undefined) return { operation: 'downloadContent', times: 1000, fault: { type: 'status', status: 404 } };
  if (kind && /^5\d\d$/.test(kind) && arg === undefined) return { operation: 'downloadContent', fault: { type: 'status', status: Number(kind) } };
  throw new OptionError(`--fault must be reset:<bytes>, 500 (any 5xx), 429:<seconds> or 404, got "${spec}"`);
}

/** The emulator the simulation drives: its own, or the one already listening on the port (`npm run emulator`). */
interface UsedEmulator {
  emulator: SimulationEmulator;
  endpoint: string;
  /** Stops our own emulator, or lifts the faults we injected into the reused one. */
  release(): Promise<void>;
}

async function useEmulator(port: number, accessKey: string, resourceId: string | undefined): Promise<UsedEmulator> {
  try {
    const own = await startAcsEmulator({ port, accessKey, resourceId });
    return { emulator: own, endpoint: own.endpoint, release: () => own.close() };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
  }
  const endpoint = `http://127.0.0.1:${port}/`;
  let remote: RemoteAcsEmulator;
  try {
    remote = await connectAcsEmulator(endpoint, accessKey);
  } catch (e) {
    if (!(e instanceof RemoteEmulatorError)) throw e;
    throw new Error(`Port ${port} (ACS_CONNECTION_STRING) is already in use. ${e.message} Stop that process, or point ACS_CONNECTION_STRING at a free port, and run again.`, { cause: e });
  }
  // Callbacks carry a JWT whose audience is the emulator's resource id: the app must expect that one.
  if (resourceId && remote.resourceId !== resourceId) {
    throw new Error(
      `The ACS emulator at ${endpoint} signs callbacks for resource ${remote.resourceId}, but ACS_RESOURCE_ID is ${resourceId}: ` +
        `restart it with \`npm run emulator -- --resource-id ${resourceId}\`.`,
    );
  }
  console.log(`Reusing the ACS emulator already listening at ${endpoint} (e.g. \`npm run emulator\`).`);
  return { emulator: remote, endpoint, release: () => remote.clearFaults() };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string', default: 'http://localhost:7071' },
      chunks: { type: 'string', default: '2' },
      'chunk-size': { type: 'string', default: String(1024 * 1024) },
      'record-for': { type: 'string', default: '2000' },
      content: { type: 'string' },
      channel: { type: 'string' },
      format: { type: 'string' },
      via: { type: 'string', default: 'callback' },
      fault: { type: 'string', multiple: true, default: [] },
      'function-key': { type: 'string' },
      timeout: { type: 'string', default: '300000' },
      settings: { type: 'string', default: DEFAULT_SETTINGS_FILE },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  // Every option is checked before anything starts.
  let app: string;
  try {
    app = new URL(values.app).toString().replace(/\/$/, '');
  } catch {
    throw new OptionError(`--app must be a URL such as http://localhost:7071, got "${values.app}"`);
  }
  const chunks = parseIntegerOption('chunks', values.chunks, 1, 100);
  const chunkSizeBytes = parseIntegerOption('chunk-size', values['chunk-size'], 1);
  const recordForMs = parseIntegerOption('record-for', values['record-for'], 0);
  const timeoutMs = parseIntegerOption('timeout', values.timeout, 1);
  const recordingOptions =
    values.content || values.channel || values.format
      ? {
          content: values.content && parseChoiceOption('content', values.content, ['audio', 'audioVideo']),
          channel: values.channel && parseChoiceOption('channel', values.channel, ['mixed', 'unmixed']),
          format: values.format && parseChoiceOption('format', values.format, ['wav', 'mp3', 'mp4']),
        }
      : undefined;
  const faults = values.fault.map(parseFault);
  const via = parseChoiceOption('via', values.via, ['callback', 'call-started']);

  // The app's own reading of its settings: ACS connection string, archive storage (ARCHIVE_STORAGE, else
  // AzureWebJobsStorage) and container.
  const config = loadConfig(readLocalSettings(values.settings));
  if (config.acs?.kind !== 'connectionString') throw new Error(`${values.settings} has no ACS_CONNECTION_STRING pointing at the emulator`);
  if (via === 'call-started' && !config.recordOnCallStarted) {
    throw new Error(`--via call-started needs RECORD_ON_CALL_STARTED=true in ${values.settings} (then restart the app)`);
  }
  const endpoint = new URL(config.acs.endpoint);
  if (!['127.0.0.1', 'localhost'].includes(endpoint.hostname)) throw new Error('ACS_CONNECTION_STRING must point at a loopback emulator for simulate');

  const used = await useEmulator(Number(endpoint.port), config.acs.accessKey, config.callbackAuth.acsResourceId);
  console.log(`ACS emulator at ${used.endpoint}`);
  const storage = config.archiveStorage ?? { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' };
  const container = blobServiceClientFor(storage).getContainerClient(config.archiveContainer);
  try {
    const report = await runSimulation({
      appBaseUrl: app,
      emulator: used.emulator,
      container,
      callbackToken: config.callbackAuth.callbackToken,
      functionKey: values['function-key'],
      chunks,
      chunkSizeBytes,
      recordForMs,
      via,
      recordingOptions,
      faults,
      timeoutMs,
      onProgress: (line) => console.log(line),
    });
    console.log(`\n${formatReport(report)}`);
    return report.ok ? 0 : 2;
  } finally {
    await used.release();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    if (e instanceof OptionError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error('See npm run simulate -- --help');
    process.exit(1);
  },
);
