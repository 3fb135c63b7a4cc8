// CLI of replayDeadLetters.ts: `npm run replay-dead-letters -- --storage <blob service URL or connection string>
// --container <dead-letter container> [--since <ISO time>] [--app <base URL>] [--function-key <key>] [--dry-run]`.
// A blob service URL is read with your Entra identity (DefaultAzureCredential: az login, managed identity, …).
import { parseArgs } from 'node:util';
import { blobServiceClientFor } from '../../src/shared/storageClients.js';
import { replayDeadLetters } from './replayDeadLetters.js';

const USAGE =
  'Usage: npm run replay-dead-letters -- --storage <blob service URL or connection string> --container <dead-letter container> ' +
  '[--since <ISO time>] [--app <base URL, default http://localhost:7071>] [--function-key <key>] [--dry-run]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      storage: { type: 'string' },
      container: { type: 'string' },
      since: { type: 'string' },
      app: { type: 'string', default: 'http://localhost:7071' },
      'function-key': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.storage || !values.container) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since must be an ISO time, got "${values.since}"`);
    return 2;
  }
  const storage = values.storage;
  const service = /^https?:\/\//i.test(storage)
    ? blobServiceClientFor({ kind: 'identity', blobServiceUri: storage })
    : blobServiceClientFor({ kind: 'connectionString', connectionString: storage });
  const summary = await replayDeadLetters({
    container: service.getContainerClient(values.container),
    ...(since ? { since } : {}),
    appBaseUrl: values.app,
    ...(values['function-key'] ? { functionKey: values['function-key'] } : {}),
    dryRun: values['dry-run'],
    print: (line) => console.log(line),
  });
  return summary.outcomes.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
