// The benchmark's results: the record a run fills part by part, its Markdown summary (the tables and the `Targets:` /
// `Orchestration:` verdict lines .ci/run greps), and where both are written: bench/results/<timestamp>.json,
// latest.json and latest.md (quick runs: quick-*; runs of some parts only: partial-*).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODES } from './compareModes.js';
import { resultsDir, type Measured } from './measure.js';
import { ALL_PARTS, MiB, type BenchOptions, type Scenario, type Settings } from './options.js';
import type { OrchestrationFigures } from './parts/orchestration.js';

/** One run's record, in the order its keys are written. */
export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string | undefined; memGiB: number; node: string };
  loadAverageAtStart: number[];
  runs: number;
  warmUpMiB: number;
  defaults: Settings;
  throughput?: Measured[];
  limits?: Measured[];
  sweepScenarios?: Scenario[];
  sweep?: Measured[];
  orchestration?: OrchestrationFigures;
  loadAverageAtEnd?: number[];
}

export function startReport(opts: BenchOptions): BenchReport {
  return {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version },
    loadAverageAtStart: os.loadavg(),
    runs: opts.runs,
    warmUpMiB: opts.warmUpMiB,
    defaults: opts.defaults,
  };
}

/** Writes the record and its summary, and prints the summary. Only a full run replaces the committed latest.*. */
export function writeReport(out: BenchReport, opts: BenchOptions): void {
  mkdirSync(resultsDir, { recursive: true });
  const json = `${JSON.stringify(out, null, 2)}\n`;
  const stamp = out.date.replace(/[:.]/g, '-');
  const prefix = opts.quick ? 'quick-' : opts.parts.size < ALL_PARTS.length ? 'partial-' : '';
  writeFileSync(path.join(resultsDir, `${prefix}${stamp}.json`), json);
  writeFileSync(path.join(resultsDir, `${prefix}latest.json`), json);
  const md = summarize(out, opts);
  writeFileSync(path.join(resultsDir, `${prefix}latest.md`), md);
  console.log(`\n${md}`);
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** The Markdown summary of a run: one section per part that ran. */
export function summarize(out: BenchReport, opts: BenchOptions): string {
  const loads = (xs: number[] | undefined) => (xs ?? []).map(f1).join(' / ');
  const lines = [
    `Run ${out.date} on ${JSON.stringify(out.machine)}; throughput: medians of ${out.runs} run(s) per figure, ` +
      (out.warmUpMiB > 0 ? `each in a fresh process after an untimed ${out.warmUpMiB} MiB transfer of the same kind (warm JIT and connections).` : 'each in a fresh, cold process.'),
    `Load average (1/5/15 min) at start ${loads(out.loadAverageAtStart)}, at end ${loads(out.loadAverageAtEnd)}.`,
    '',
  ];
  if (out.throughput?.length) lines.push(...throughputSection(out.throughput, out.defaults));
  if (out.limits?.length) lines.push(...limitsSection(out.limits, opts));
  for (const scenario of out.sweepScenarios ?? []) lines.push(...sweepSection(out.sweep!.filter((m) => m.scenario === scenario.name), scenario));
  if (out.orchestration) lines.push(...orchestrationSection(out.orchestration));
  return `${lines.join('\n')}\n`;
}

/** One row per key (size or scenario): the four modes' medians, the ratios that matter, and peak RSS. */
function comparisonTable(keyName: string, t: Measured[], keyOf: (m: Measured) => string): string[] {
  const mibps = (m: Measured) => f1(m.medianMiBps);
  const ratio = (x: Measured, y: Measured) => `${f2(x.medianMiBps / y.medianMiBps)}x`;
  const rss = (m: Measured) => `${m.medianMaxRssMiB.toFixed(0)} MiB`;
  const rows = [
    `| ${keyName} | this app (MiB/s) | temp file (a) | uploadData (b) | uploadStream (c) | app / (a) | app / (b) | (c) / (b) | app / (c) | peak RSS app | peak RSS (a) | peak RSS (b) | peak RSS (c) |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const key of [...new Set(t.map(keyOf))]) {
    const by = (mode: string) => t.find((m) => keyOf(m) === key && m.mode === mode)!;
    const a = by('archive'), tf = by('tempfile'), ud = by('uploadData'), us = by('uploadStream');
    rows.push(
      `| ${key} | ${mibps(a)} | ${mibps(tf)} | ${mibps(ud)} | ${mibps(us)} | ${ratio(a, tf)} | ${ratio(a, ud)} | ${ratio(us, ud)} | ${ratio(a, us)} | ${rss(a)} | ${rss(tf)} | ${rss(ud)} | ${rss(us)} |`,
    );
  }
  return rows;
}

/** The size comparison, CPU per GiB by process, and the `Targets:` line. */
function throughputSection(t: Measured[], d: Settings): string[] {
  const lines = [
    `Archive settings: the app's defaults (block ${d.blockMiB} MiB, ${d.concurrency} range stream, ${d.uploadConcurrency} uploads in flight).`,
    '',
    ...comparisonTable('chunk', t, (m) => `${m.sizeMiB} MiB`),
  ];
  const sizes = [...new Set(t.map((m) => m.sizeMiB))];
  const by = (size: number, mode: string) => t.find((m) => m.sizeMiB === size && m.mode === mode)!;
  lines.push(
    '',
    'CPU seconds per GiB moved (medians), by process: the worker doing the transfer, Azurite, the ACS emulator.',
    '',
    '| chunk | mode | worker | Azurite | emulator | total | RSS before → peak |',
    '|---|---|---|---|---|---|---|',
  );
  for (const m of sizes.flatMap((size) => MODES.map((mode) => by(size, mode)))) {
    const c = m.cpuSecPerGiB;
    const total = c.worker + (c.azurite ?? 0) + c.emulator;
    lines.push(`| ${m.sizeMiB} MiB | ${m.mode} | ${f2(c.worker)} | ${c.azurite === undefined ? 'n/a' : f2(c.azurite)} | ${f2(c.emulator)} | ${f2(total)} | ${m.medianRssBeforeMiB.toFixed(0)} → ${m.medianMaxRssMiB.toFixed(0)} MiB |`);
  }
  const archive = t.filter((m) => m.mode === 'archive');
  const rssRatio = archive.at(-1)!.medianMaxRssMiB / archive[0]!.medianMaxRssMiB;
  const ratios = (x: string, y: string) => sizes.map((s) => by(s, x).medianMiBps / by(s, y).medianMiBps);
  const vsB = ratios('archive', 'uploadData');
  const vsA = ratios('archive', 'tempfile');
  const ceiling = ratios('uploadStream', 'uploadData');
  const vsC = ratios('archive', 'uploadStream');
  lines.push(
    '',
    `Targets: app ≥ 0.8x (b): ${vsB.map(f2).join(' / ')} → ${verdict(vsB.every((r) => r >= 0.8))} ` +
      `(a streaming copy that verifies nothing, (c), reaches ${ceiling.map(f2).join(' / ')}x (b); the app reaches ${vsC.map(f2).join(' / ')}x (c)); ` +
      `app ahead of (a): ${vsA.map(f2).join(' / ')} → ${verdict(vsA.every((r) => r > 1))}; ` +
      `peak RSS ${archive.at(-1)!.sizeMiB} MiB vs ${archive[0]!.sizeMiB} MiB: ${f2(rssRatio)}x (≤ 1.2x) → ${verdict(rssRatio <= 1.2)}.`,
  );
  return lines;
}

function limitsSection(limits: Measured[], opts: BenchOptions): string[] {
  const { storage, wan } = opts.scenarios;
  return [
    '',
    `Network-bound (app defaults, ${limits[0]!.sizeMiB} MiB; storage: ${storage.storageBytesPerSecond! / MiB} MiB/s per upload connection + ` +
      `${storage.storageLatencyMs} ms per response through a proxy; wan: that, and the source at ${wan.sourceBytesPerSecond! / MiB} MiB/s per connection):`,
    '',
    ...comparisonTable('scenario', limits, (m) => m.scenario!),
  ];
}

function sweepSection(s: Measured[], scenario: Scenario): string[] {
  if (!s.length) return [];
  const conditions = [
    scenario.sourceBytesPerSecond === undefined ? 'source unlimited' : `source ${scenario.sourceBytesPerSecond / MiB} MiB/s per connection`,
    scenario.storageBytesPerSecond === undefined
      ? 'storage on loopback'
      : `storage ${scenario.storageBytesPerSecond / MiB} MiB/s per upload connection + ${scenario.storageLatencyMs} ms per response`,
  ].join(', ');
  return [
    '',
    `Sweep "${scenario.name}" (${conditions}; ${s[0]!.sizeMiB} MiB, this app, medians of ${s[0]!.runs.length} run(s)):`,
    '',
    '| block | ranges | uploads | MiB/s | worker CPU s/GiB | peak RSS |',
    '|---|---|---|---|---|---|',
    ...s.map((m) => `| ${m.settings!.blockMiB} MiB | ${m.settings!.concurrency} | ${m.settings!.uploadConcurrency} | ${f1(m.medianMiBps)} | ${f2(m.cpuSecPerGiB.worker)} | ${m.medianMaxRssMiB.toFixed(0)} MiB |`),
  ];
}

function orchestrationSection(o: OrchestrationFigures): string[] {
  return [
    '',
    `Orchestration: ${o.chunks} chunks of ${o.chunkSizeBytes / 1024} KiB in ${(o.ms / 1000).toFixed(1)} s, ${o.activities} activities, ` +
      `${o.historyEvents} history events, ${(o.historyBytesPerChunk / 1024).toFixed(2)} KiB history per chunk (< 2 KiB → ${verdict(o.historyBytesPerChunk < 2048)}), ` +
      `${o.sourcesDeleted} sources deleted.`,
  ];
}
