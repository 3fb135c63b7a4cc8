// The embedded local host behind `npm start` when Azure Functions Core Tools (`func`) is not installed: the app's own
// function files, loaded from TypeScript through tsx (package.json "main" mapped from dist/ back to the sources),
// registered through the real @azure/functions (with the stand-in core), its appStart hooks run, HTTP served under
// /api, the local Event Grid webhook, and orchestrations driven by the in-process Durable driver.
// What it does NOT do (EMBEDDED_HOST_LIMITS): check function keys, persist Durable state, read host.json.
import './host/setup.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeDurableApi } from './host/durableClientApi.js';
import { registeredFunctions, startApp, type LogSink } from './host/functionsHost.js';
import { startInProcessHost } from './host/inProcessHost.js';

export const EMBEDDED_HOST_LIMITS = [
  'function keys are not checked (authLevel is ignored, as under func start)',
  'Durable Functions is emulated in memory: orchestrations do not survive a restart, and nothing is written to the task hub',
  'host.json is not read (no extension bundle, logging or concurrency settings); production runs on the Functions host',
];

export interface EmbeddedHostOptions {
  /** Folder holding package.json and src/ (default: the current directory). */
  appRoot?: string;
  port: number;
  /** Task hub named in the durable client's binding data (TASKHUB_NAME). */
  taskHubName?: string;
  logs: LogSink;
}

export interface EmbeddedHost {
  readonly baseUrl: string;
  /** One line per registered function: how to reach it. */
  readonly functions: string[];
  close(): Promise<void>;
}

/** The app's function files, as the host finds them through package.json "main", but as TypeScript sources. */
export function appSourceFiles(appRoot: string): string[] {
  const main = (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { main?: string }).main;
  if (!main) throw new Error('package.json has no "main"');
  const source = main.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts');
  const dir = path.join(appRoot, path.dirname(source));
  const pattern = new RegExp(`^${path.basename(source).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return readdirSync(dir)
    .filter((f) => pattern.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

function describeFunctions(baseUrl: string): string[] {
  const lines: string[] = [];
  for (const [name, fn] of registeredFunctions()) {
    const trigger = Object.values(fn.metadata.bindings).find((b) => b.type.endsWith('Trigger'));
    if (trigger?.type === 'httpTrigger') {
      const methods = ((trigger.methods as string[] | undefined) ?? ['GET', 'POST']).join(',');
      lines.push(`${name}: [${methods}] ${baseUrl}/api/${(trigger.route as string | undefined) ?? name}`);
    } else if (trigger?.type === 'eventGridTrigger') {
      lines.push(`${name}: eventGridTrigger ${baseUrl}/runtime/webhooks/EventGrid?functionName=${name}`);
    } else {
      lines.push(`${name}: ${trigger?.type ?? 'unknown trigger'}`);
    }
  }
  return lines;
}

export async function startEmbeddedHost(o: EmbeddedHostOptions): Promise<EmbeddedHost> {
  const appRoot = o.appRoot ?? process.cwd();
  for (const file of appSourceFiles(appRoot)) await import(pathToFileURL(file).href);
  // As the worker does: appStart once the app's files are loaded, before the first invocation.
  await startApp(appRoot);
  const durable = await startFakeDurableApi({ taskHubName: o.taskHubName, logs: o.logs });
  let host;
  try {
    host = await startInProcessHost(durable, { port: o.port, addresses: ['127.0.0.1', '::1'], logs: o.logs });
  } catch (e) {
    await durable.close();
    throw e;
  }
  const baseUrl = `http://localhost:${new URL(host.baseUrl).port}`;
  return {
    baseUrl,
    functions: describeFunctions(baseUrl),
    close: async () => {
      await host.close();
      await durable.close();
    },
  };
}
