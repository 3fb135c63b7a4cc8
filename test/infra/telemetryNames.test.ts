// Every name the dashboard's queries use (infra/app/workbook.json) is one the app emits: metric names, span names,
// attribute (customDimensions) names and log messages all come from src/shared/telemetryNames.json, which the app's
// instruments (src/shared/telemetry.ts) and the alert queries (infra/app/alerts.bicep) read too. And every log
// message in that list is written by the app's source.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, LOG_MESSAGES, METRICS, SPANS } from '../../src/shared/telemetryNames.js';
import { REPO_ROOT } from './armTemplate.js';

interface WorkbookItem {
  type: number;
  name: string;
  content: { query?: string; title?: string };
}

async function queries(): Promise<{ name: string; query: string }[]> {
  const wb = JSON.parse(await readFile(path.join(REPO_ROOT, 'infra/app/workbook.json'), 'utf8')) as { items: WorkbookItem[] };
  return wb.items.filter((i) => i.type === 3).map((i) => ({ name: i.name, query: i.content.query ?? '' }));
}

/** The names a query matches on: metric/span names compared with `name`, customDimensions keys, message prefixes. */
function namesUsed(query: string): { names: string[]; attributes: string[]; messages: string[] } {
  const names = [...query.matchAll(/\bname == "([^"]+)"/g)].map((m) => m[1]!);
  for (const m of query.matchAll(/\bname in \(([^)]*)\)/g)) names.push(...[...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
  const attributes = [...query.matchAll(/customDimensions\["([^"]+)"\]/g), ...query.matchAll(/customDimensions\.([A-Za-z_][\w]*)/g)].map((m) => m[1]!);
  const messages = [...query.matchAll(/message startswith "([^"]+) \{"/g)].map((m) => m[1]!);
  return { names, attributes, messages };
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))));
  return nested.flat();
}

// Emitted by helper i10b's change (the chunk given up at its deadline); remove it from here once that is merged.
const PENDING_LOG_MESSAGES: string[] = [];

describe('telemetry names', () => {
  it('the workbook has the panels of the runbook and queries only names the app emits', async () => {
    const all = await queries();
    expect(all.map((q) => q.name).sort()).toEqual(['archive-failed', 'bytes', 'failures', 'lag', 'retries', 'started-archived', 'waiting']);
    const metricNames = new Set(Object.values(METRICS).map((m) => m.name));
    const spanNames = new Set(Object.values(SPANS));
    const attributes = new Set(Object.values(ATTRIBUTES));
    const messages = new Set(Object.values(LOG_MESSAGES));
    for (const { name, query } of all) {
      const used = namesUsed(query);
      expect(used.names.length + used.messages.length, `${name} matches on some name`).toBeGreaterThan(0);
      for (const n of used.names) expect(metricNames.has(n) || spanNames.has(n), `${name}: ${n}`).toBe(true);
      for (const a of used.attributes) expect(attributes, `${name}: customDimensions ${a}`).toContain(a);
      for (const m of used.messages) {
        expect(messages, `${name}: message ${m}`).toContain(m);
        expect(query, `${name}: fields start after "${m} "`).toContain(`substring(message, ${m.length + 1})`);
      }
    }
  });

  it('finds the names it checks (a misspelt name fails)', () => {
    expect(namesUsed('customMetrics | where name in ("a", "b") | where name == "c" | extend x = customDimensions["k"]')).toEqual({ names: ['c', 'a', 'b'], attributes: ['k'], messages: [] });
    expect(namesUsed('traces | where message startswith "Oops {"').messages).toEqual(['Oops']);
  });

  it('every instrument is documented with a unit and a kind, and the README lists each metric', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const m of Object.values(METRICS)) {
      expect(['counter', 'histogram']).toContain(m.kind);
      expect(m.unit.length).toBeGreaterThan(0);
      expect(readme, m.name).toContain(`| \`${m.name}\` | ${m.kind}, \`${m.unit}\``);
    }
  });

  it('every log message the queries match is written by the app (LOG_MESSAGES.* in src)', async () => {
    const src = (await Promise.all((await sourceFiles(path.join(REPO_ROOT, 'src'))).map((f) => readFile(f, 'utf8')))).join('\n');
    for (const [key, message] of Object.entries(LOG_MESSAGES)) {
      const emitted = src.includes(`LOG_MESSAGES.${key}`) || src.includes(`'${message}'`);
      // A pending name must not be emitted yet: once it is, this fails and the pending entry goes.
      expect(emitted, `${key} ("${message}")`).toBe(!PENDING_LOG_MESSAGES.includes(message));
    }
  });
});
