// `npm run simulate`: drive one whole recorded call against the locally running app (`npm start`) with the ACS
// emulator, then print what landed in Blob Storage. Reads the app's local.settings.json so the emulator listens
// where ACS_CONNECTION_STRING points and signs with the same key.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { blobServiceClientFor } from '../../src/archive/archiveContainerClient.js';
import { loadConfig } from '../../src/config.js';
import { startAcsEmulator, type FaultRule } from '../acs-emulator/index.js';
import { formatReport, runSimulation } from './simulation.js';

const HELP = `Usage: npm run simulate -- [options]
  --app <url>            base URL of the running app (default http://localhost:7071)
  --chunks <n>           recording chunks to produce (default 2)
  --chunk-size <bytes>   bytes per chunk (default 1048576)
  --record-for <ms>      how long the call records before it is stopped (default 2000)
  --content <audio|audioVideo> --channel <mixed|unmixed> --format <wav|mp3|mp4>
                         start the recording through the control API with these options instead of
                         relying on auto-start on CallConnected
  --fault <spec>         inject a fault while archiving, repeatable: reset:<bytes> | 500 | 429:<seconds> | 404
  --function-key <key>   x-functions-key for the control API, if your host enforces keys
  --timeout <ms>         give up waiting after this long (default 300000)
  --settings <file>      settings file (default local.settings.json)`;

function parseFault(spec: string): FaultRule {
  const [kind, arg] = spec.split(':');
  if (kind === 'reset') return { operation: 'downloadContent', fault: { type: 'reset', afterBytes: Number(arg ?? 65536) } };
  if (kind === '429') return { operation: 'downloadContent', fault: { type: 'throttle', retryAfterSeconds: Number(arg ?? 1) } };
  if (kind === '404') return { operation: 'downloadContent', times: 1000, fault: { type: 'status', status: 404 } };
  if (kind && /^5\d\d$/.test(kind)) return { operation: 'downloadContent', fault: { type: 'status', status: Number(kind) } };
  throw new Error(`Unknown --fault "${spec}" (use reset:<bytes>, 500, 429:<seconds> or 404)`);
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
      fault: { type: 'string', multiple: true, default: [] },
      'function-key': { type: 'string' },
      timeout: { type: 'string', default: '300000' },
      settings: { type: 'string', default: 'local.settings.json' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  // The app's own reading of its settings: ACS connection string, archive storage (ARCHIVE_STORAGE, else
  // AzureWebJobsStorage) and container.
  const config = loadConfig((JSON.parse(readFileSync(values.settings, 'utf8')) as { Values: Record<string, string> }).Values);
  if (config.acs?.kind !== 'connectionString') throw new Error(`${values.settings} has no ACS_CONNECTION_STRING pointing at the emulator`);
  const endpoint = new URL(config.acs.endpoint);
  if (!['127.0.0.1', 'localhost'].includes(endpoint.hostname)) throw new Error('ACS_CONNECTION_STRING must point at a loopback emulator for simulate');

  const emulator = await startAcsEmulator({
    port: Number(endpoint.port),
    accessKey: config.acs.accessKey,
    resourceId: config.callbackAuth.acsResourceId,
  });
  console.log(`ACS emulator listening at ${emulator.endpoint}`);
  const storage = config.archiveStorage ?? { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' };
  const container = blobServiceClientFor(storage).getContainerClient(config.archiveContainer);
  try {
    const report = await runSimulation({
      appBaseUrl: values.app,
      emulator,
      container,
      callbackToken: config.callbackAuth.callbackToken,
      functionKey: values['function-key'],
      chunks: Number(values.chunks),
      chunkSizeBytes: Number(values['chunk-size']),
      recordForMs: Number(values['record-for']),
      recordingOptions:
        values.content || values.channel || values.format
          ? { content: values.content, channel: values.channel, format: values.format }
          : undefined,
      faults: values.fault.map(parseFault),
      timeoutMs: Number(values.timeout),
      onProgress: (line) => console.log(line),
    });
    console.log(`\n${formatReport(report)}`);
    return report.ok ? 0 : 2;
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
