// `npm run emulator -- --port 8123 --access-key <base64> [--media-origin https://eus.storage.asm.skype.com] [--resource-id <guid>]`
// Starts the ACS emulator on 127.0.0.1, prints how to reach it, and runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startAcsEmulator } from './index.js';

const USAGE = `Usage: npm run emulator -- [--port <n>] [--access-key <base64>] [--media-origin <origin>] [--resource-id <guid>]
                            [--issuer <url>] [--activation-delay-ms <n>] [--seed <n>]`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
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
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startAcsEmulator({
    port: intOption('port', values.port),
    accessKey: values['access-key'],
    mediaOrigin: values['media-origin'],
    resourceId: values['resource-id'],
    issuer: values.issuer,
    activationDelayMs: intOption('activation-delay-ms', values['activation-delay-ms']),
    seed: intOption('seed', values.seed),
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
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error(USAGE);
  process.exit(1);
});
