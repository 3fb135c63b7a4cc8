// `npm run emulator`: starts the ACS emulator on 127.0.0.1, prints how to reach it, and runs until SIGINT/SIGTERM.
// With no options it listens where local.settings.sample.json expects it (port and access key). With --call it also
// plays a call against the app: CallConnected to the callback URL, and once a recording stops (e.g. through
// `curl -X DELETE …/api/recordings/{id}`) its RecordingFileStatusUpdated to the local Event Grid webhook.
import { parseArgs } from 'node:util';
import { toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import { OptionError, parseIntegerOption, parseOptionalIntegerOption } from '../cli/options.js';
import { startAcsEmulator, type AcsEmulator } from './index.js';
import { sampleEmulatorSettings } from './sampleSettings.js';

const DEFAULT_EVENT_GRID_URL = 'http://localhost:7071/runtime/webhooks/EventGrid?functionName=recordingFileStatusUpdated';

function usage(): string {
  const sample = sampleEmulatorSettings();
  return `Usage: npm run emulator -- [options]
  --port <n>                 port on 127.0.0.1 (default ${sample.port}, from local.settings.sample.json)
  --access-key <base64>      HMAC key requests must be signed with (default: the key of local.settings.sample.json)
  --media-origin <origin>    origin of the recording file URLs it mints (default: its own http://127.0.0.1:<port>)
  --resource-id <guid>       ACS resource id: the audience of callback JWTs (default: a random UUID)
  --issuer <url>             issuer of callback JWTs (default https://acscallautomation.communication.azure.com)
  --activation-delay-ms <n>  delay before a started recording becomes active (default 50)
  --seed <n>                 seed of the generated ids and media bytes (default 1)
  --call <callback url>      play a call: post CallConnected to this URL (the app's
                             http://localhost:7071/api/callbacks/call-automation, with ?token=… if CALLBACK_TOKEN is set);
                             whenever a recording stops, publish its RecordingFileStatusUpdated to --event-grid-url
  --event-grid-url <url>     the local Event Grid webhook (default ${DEFAULT_EVENT_GRID_URL})
  --chunks <n>               files of every recording that stops (default 1)
  --chunk-size <bytes>       bytes per file (default 262144)
  -h, --help                 this help`;
}

/** --call: the call, and the RecordingFileStatusUpdated of every recording that stops afterwards. */
async function playCall(emulator: AcsEmulator, callbackUrl: string, eventGridUrl: string): Promise<void> {
  const appBase = new URL(callbackUrl).origin;
  const published = new Set<string>();
  const announced = new Set<string>();
  emulator.onRequest((e) => {
    if (e.status >= 300) return;
    for (const r of emulator.listRecordings()) {
      if (e.operation === 'startRecording' && !announced.has(r.recordingId)) {
        announced.add(r.recordingId);
        console.log(`Recording ${r.recordingId} started. Stop it with: curl -X DELETE ${appBase}/api/recordings/${toRecordingRouteId(r.recordingId)}`);
      }
      if (e.operation === 'stopRecording' && r.state === 'stopped' && !published.has(r.recordingId)) {
        published.add(r.recordingId);
        void emulator.publishRecordingFileStatusUpdated(r.recordingId, eventGridUrl).then(
          ({ status }) => console.log(`RecordingFileStatusUpdated of ${r.chunks.length} chunk(s) published to ${eventGridUrl}: HTTP ${status}`),
          (err: unknown) => console.error(`Publishing RecordingFileStatusUpdated to ${eventGridUrl} failed: ${(err as Error).message}`),
        );
      }
    }
  });
  const call = await emulator.simulateCall({ callbackUrl });
  console.log(`CallConnected (serverCallId ${call.serverCallId}) posted to ${callbackUrl}: HTTP ${call.status}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'access-key': { type: 'string' },
      'media-origin': { type: 'string' },
      'resource-id': { type: 'string' },
      issuer: { type: 'string' },
      'activation-delay-ms': { type: 'string' },
      seed: { type: 'string' },
      call: { type: 'string' },
      'event-grid-url': { type: 'string', default: DEFAULT_EVENT_GRID_URL },
      chunks: { type: 'string', default: '1' },
      'chunk-size': { type: 'string', default: String(256 * 1024) },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const sample = sampleEmulatorSettings();
  for (const name of ['call', 'event-grid-url', 'media-origin', 'issuer'] as const) {
    const v = values[name];
    if (v !== undefined && !URL.canParse(v)) throw new OptionError(`--${name} must be a URL, got "${v}"`);
  }
  const chunks = parseIntegerOption('chunks', values.chunks, 1, 100);
  const chunkSize = parseIntegerOption('chunk-size', values['chunk-size'], 1);
  const emulator = await startAcsEmulator({
    port: parseOptionalIntegerOption('port', values.port, 0, 65535) ?? sample.port,
    accessKey: values['access-key'] ?? sample.accessKey,
    mediaOrigin: values['media-origin'],
    resourceId: values['resource-id'],
    issuer: values.issuer,
    activationDelayMs: parseOptionalIntegerOption('activation-delay-ms', values['activation-delay-ms']),
    seed: parseOptionalIntegerOption('seed', values.seed),
    defaultChunks: { count: chunks, sizeBytes: chunkSize },
  });
  console.log(`ACS emulator listening on ${emulator.endpoint}`);
  console.log(`ACS_CONNECTION_STRING=${emulator.connectionString}`);
  console.log(`ACS_RESOURCE_ID=${emulator.resourceId}`);
  console.log(`ACS_OPENID_CONFIG_URL=${emulator.openIdConfigUrl}`);
  console.log(`Media URLs are minted under ${emulator.mediaOrigin}. Press Ctrl+C to stop.`);
  emulator.onRequest((e) => console.log(`${e.time.toISOString()} ${e.method} ${e.operation} ${e.status}${e.authenticated ? '' : ' (unauthenticated)'}`));

  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (values.call) await playCall(emulator, values.call, values['event-grid-url']);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error('See npm run emulator -- --help');
  process.exit(1);
});
