// The operator console in a real browser (headless Chromium through playwright-core) against the REAL registered
// functions on the in-process host — with function keys checked — the ACS emulator, Azurite and the in-process Durable
// driver: sign-in, a simulated call's archive seen live, the player's bytes, a failed archive driven again, pause,
// resume and stop, the list filters, API errors in the API's own words, keyboard-only use with a name on every
// control, no sideways scrolling at 1280 and 390 px, a wrong key, and the page's security headers. Each test saves a
// screenshot under test-results/console/.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerClient } from '@azure/storage-blob';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { toRecordingRouteId } from '../../src/calls/recordingIdEncoding.js';
import type { AcsEmulator } from '../../tools/acs-emulator/index.js';
import type { InProcessHost } from '../../tools/local/host/inProcessHost.js';
import { runSimulation, type SimulationOptions } from '../../tools/local/simulation.js';
import { startLocalApp, type LocalApp } from '../support/localApp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results', 'console');
const KEY = 'console-test-key';
const CALLBACK_TOKEN = 'console-test-token';
const chromiumPath = inject('chromiumPath');

let emu: AcsEmulator;
let host: InProcessHost;
let browser: Browser;
let container: ContainerClient;
let app: LocalApp;
let page: Page;
let consoleErrors: string[];

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const p = await context.newPage();
  consoleErrors = [];
  p.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  p.on('pageerror', (e) => consoleErrors.push(e.message));
  return p;
}

async function signIn(p: Page, key = KEY): Promise<void> {
  await p.goto(`${host.baseUrl}/api/console`);
  await p.getByLabel('Function key').fill(key);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** The recording the emulator starts next for a call it is told of (found by polling). */
async function nextRecording(before: Set<string>, timeoutMs = 20_000): Promise<{ recordingId: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = emu.listRecordings().find((x) => !before.has(x.recordingId) && x.state === 'active');
    if (r) return r;
    if (Date.now() > deadline) throw new Error('no new active recording');
    await new Promise((res) => setTimeout(res, 100));
  }
}

const known = () => new Set(emu.listRecordings().map((r) => r.recordingId));
const rowBadge = (recordingId: string, status: string) => `tr[data-recording-id="${recordingId}"] .badge[data-status="${status}"]`;

/** One simulated call against this test's app, with its key and callback token; `o` says what differs. */
const playCall = (o: Omit<SimulationOptions, 'appBaseUrl' | 'emulator' | 'container' | 'callbackToken' | 'functionKey'>) =>
  runSimulation({ appBaseUrl: host.baseUrl, emulator: emu, container, callbackToken: CALLBACK_TOKEN, functionKey: KEY, ...o });

/** A small simulated call, archived: the fixture of the tests that need a recording of their own. */
async function archivedRecording(): Promise<{ recordingId: string; serverCallId: string }> {
  const report = await playCall({
    chunks: 1,
    chunkSizeBytes: 50_000,
    recordForMs: 50,
    timeoutMs: 30_000,
  });
  expect(report.ok).toBe(true);
  return { recordingId: report.recordingId, serverCallId: report.serverCallId };
}

/** An instant as a datetime-local value in the page's own zone (minutes, floored). */
function localInput(ms: number): Promise<string> {
  return page.evaluate<string>(`(() => {
    const d = new Date(${ms});
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  })()`);
}

/** Inputs, selects, buttons, links and players without an accessible name: a label or aria-label(ledby) — or, for a
 * button or link only, its text (a select's option text is not its name). */
function unnamedControls(p: Page): Promise<string[]> {
  return p.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea, button, a[href], audio, video')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label')?.trim() ||
      ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim()) ||
      (el.getAttribute('aria-labelledby') ?? '').split(' ').some((id) => document.getElementById(id)?.textContent.trim())))
    .map((el) => el.outerHTML.slice(0, 200))`);
}

/** Whether the element `selector` names has the keyboard focus. */
const focusedOn = (p: Page, selector: string) => p.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`);

describe.skipIf(!chromiumPath)('operator console (headless Chromium)', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await startLocalApp({
      name: 'console',
      callbackToken: CALLBACK_TOKEN,
      host: { functionKeys: [KEY] },
      // A failed archive must end within the test: no ACS retries in-process, a one-hour retry horizon.
      settings: { ACS_MAX_RETRIES: '0', ARCHIVE_RETRY_HORIZON_HOURS: '1', CONSOLE_ENABLED: undefined },
    });
    ({ emu, host, container } = app);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async () => {
    emu.clearFaults();
    await page?.context().close();
  });

  it('serves the page with a strict CSP allowing the archive blob origin; signs in; a simulated call archives live; the player plays the archived bytes', { timeout: 90_000 }, async () => {
    page = await newPage();
    const res = await page.goto(`${host.baseUrl}/api/console`);
    const headers = res!.headers();
    const blobOrigin = new URL(container.url).origin;
    expect(headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' ${blobOrigin}; connect-src 'self' ${blobOrigin}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    );
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    await page.getByLabel('Function key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Recordings' }).waitFor();
    // The key lives in sessionStorage, not in the URL.
    expect(page.url()).not.toContain(KEY);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toContain(KEY);
    await page.evaluate('window.consoleTestMarker = 1');

    const before = known();
    // Slow downloads keep the archive in progress long enough to be seen.
    const simulation = playCall({
      chunks: 1,
      chunkSizeBytes: 600_000,
      recordForMs: 200,
      faults: [{ operation: 'downloadContent', fault: { type: 'slow', bytesPerSecond: 150_000 } }],
      timeoutMs: 60_000,
    });
    const { recordingId } = await nextRecording(before);
    await page.waitForSelector(`tr[data-recording-id="${recordingId}"]`, { timeout: 20_000 });
    await page.waitForSelector(rowBadge(recordingId, 'archiving'), { timeout: 30_000 });
    await shot(page, 'list-archiving');
    const report = await simulation;
    expect(report.ok).toBe(true);
    await page.waitForSelector(rowBadge(recordingId, 'archived'), { timeout: 20_000 });
    expect(await page.evaluate<number | undefined>('window.consoleTestMarker')).toBe(1); // no reload
    await shot(page, 'list-archived');

    await page.locator(`tr[data-recording-id="${recordingId}"] a`).click();
    const audio = page.getByLabel('Chunk 0 media');
    await audio.waitFor();
    const src = await audio.getAttribute('src');
    expect(src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*sig=/);
    // The player loads it (CSP media-src lets it), and the URL answers the archived bytes.
    await page.waitForFunction("(document.querySelector('audio')?.readyState ?? 0) >= 1", undefined, { timeout: 10_000 });
    const bytes = Buffer.from(await (await fetch(src!)).arrayBuffer());
    const documentId = report.chunks[0]!.documentId;
    expect(createHash('md5').update(bytes).digest('base64')).toBe(await emu.fileMd5(documentId, 'content'));
    await page.getByRole('heading', { name: /Chunk 0/ }).waitFor();
    expect(await page.locator('[data-chunk="0"] .badge').getAttribute('data-status')).toBe('archived');
    await shot(page, 'recording-archived');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${host.baseUrl}/api/console#/`);
    await page.waitForSelector(rowBadge(recordingId, 'archived'));
    await shot(page, 'list-390px');
    expect(consoleErrors).toEqual([]);
  });

  it('shows a failed archive with its failure; "Archive again" after the fault is lifted ends archived', { timeout: 90_000 }, async () => {
    page = await newPage();
    await signIn(page);
    const report = await playCall({
      chunks: 1,
      chunkSizeBytes: 100_000,
      recordForMs: 100,
      faults: [{ operation: 'downloadContent', times: 1000, fault: { type: 'status', status: 404 } }],
      timeoutMs: 60_000,
    });
    expect(report.archiveStatus).toBe('failed');
    await page.goto(`${host.baseUrl}/api/console#/recordings/${toRecordingRouteId(report.recordingId)}`);
    await page.locator('[data-chunk="0"] .badge[data-status="failed"]').waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: 'Failures' }).waitFor();
    expect(await page.locator('.failures').innerText()).toMatch(/404/);
    await shot(page, 'recording-failed');
    // Its failures (long codes and messages) fit a phone's width too.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await shot(page, 'recording-failed-390px');
    await page.setViewportSize({ width: 1280, height: 900 });

    emu.clearFaults();
    await page.getByRole('button', { name: 'Archive again' }).click();
    await page.locator('[data-chunk="0"] .badge[data-status="archived"]').waitFor({ timeout: 30_000 });
    await page.getByLabel('Chunk 0 media').waitFor();
    await shot(page, 'recording-archived-again');
    expect(consoleErrors).toEqual([]);
  });

  it('pauses, resumes and stops an active recording', { timeout: 60_000 }, async () => {
    page = await newPage();
    await signIn(page);
    const before = known();
    const call = await emu.simulateCall({ callbackUrl: `${host.baseUrl}/api/callbacks/call-automation?token=${CALLBACK_TOKEN}` });
    expect(call.status).toBeLessThan(300);
    const { recordingId } = await nextRecording(before);
    await page.goto(`${host.baseUrl}/api/console#/recordings/${toRecordingRouteId(recordingId)}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('[data-field="recordingState"]', { hasText: 'inactive' }).waitFor({ timeout: 15_000 });
    expect(emu.getRecording(recordingId)?.state).toBe('inactive');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator('[data-field="recordingState"]', { hasText: /^active$/ }).waitFor({ timeout: 15_000 });
    expect(emu.getRecording(recordingId)?.state).toBe('active');
    await shot(page, 'recording-active');
    // Stop from the keyboard: Enter on Stop, then Enter again confirms (the focus moves to "Confirm stop").
    await page.getByRole('button', { name: 'Stop', exact: true }).focus();
    await page.keyboard.press('Enter');
    // (Polled from here: a string waitForFunction polls with eval, which the page's CSP refuses.)
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent'), { timeout: 2_000 }).toBe('Confirm stop');
    await page.keyboard.press('Enter');
    await page.locator('[data-field="recordingState"]', { hasText: 'stopped' }).waitFor({ timeout: 15_000 });
    expect(emu.getRecording(recordingId)?.state).toBe('stopped');
    expect(await page.getByRole('button', { name: /^(Pause|Resume|Stop)$/ }).count()).toBe(0);
    await shot(page, 'recording-stopped');
    expect(consoleErrors).toEqual([]);
  });

  it('filters the listing by time range, serverCallId and archive status', { timeout: 60_000 }, async () => {
    const started = Date.now();
    const a = await archivedRecording();
    const b = await archivedRecording();
    page = await newPage();
    await signIn(page);
    await page.locator(`tr[data-recording-id="${a.recordingId}"]`).waitFor();
    const rows = page.locator('tr[data-recording-id]');
    const ids = async () => (await Promise.all((await rows.all()).map((r) => r.getAttribute('data-recording-id')))).join();
    const apply = async (f: { from?: string; to?: string; call?: string; status?: string }) => {
      await page.getByLabel('From').fill(f.from ?? '');
      await page.getByLabel('To', { exact: true }).fill(f.to ?? '');
      await page.getByLabel('serverCallId').fill(f.call ?? '');
      await page.getByLabel('Archive status').selectOption(f.status ?? '');
      await page.getByRole('button', { name: 'Apply filters' }).click();
    };
    const expectRows = (want: string) => expect.poll(ids, { timeout: 10_000 }).toBe(want);

    await apply({ call: a.serverCallId });
    await expectRows(a.recordingId);
    expect(await rows.first().locator('td[data-label="Call"]').innerText()).toBe(a.serverCallId);
    await apply({ call: a.serverCallId, status: 'failed' });
    await page.getByText('No recordings match.').waitFor();
    expect(await rows.count()).toBe(0);
    await apply({ call: a.serverCallId, status: 'archived' });
    await expectRows(a.recordingId);
    // The time range (datetime-local, the browser's zone, minute steps): a window around the two calls holds both,
    // newest first; one that ends before them, or starts after them, holds neither.
    const minute = 60_000;
    await apply({ from: await localInput(started - minute), to: await localInput(Date.now() + minute), status: 'archived' });
    await expect.poll(async () => (await ids()).split(',').slice(0, 2).join(), { timeout: 10_000 }).toBe(`${b.recordingId},${a.recordingId}`);
    await shot(page, 'list-filtered');
    await apply({ to: await localInput(started - 2 * minute), call: a.serverCallId });
    await page.getByText('No recordings match.').waitFor();
    await apply({ from: await localInput(Date.now() + 2 * minute), call: b.serverCallId });
    await page.getByText('No recordings match.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator(`tr[data-recording-id="${b.recordingId}"]`).waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('shows an API error in the API\'s own words', { timeout: 30_000 }, async () => {
    const id = toRecordingRouteId('no-such-recording');
    const res = await fetch(`${host.baseUrl}/api/recordings/${id}`, { headers: { 'x-functions-key': KEY } });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.message).toBeTruthy();
    page = await newPage();
    await signIn(page);
    await page.goto(`${host.baseUrl}/api/console#/recordings/${id}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`${error.code}: ${error.message}`);
    await shot(page, 'recording-not-found');

    // A refused filter (From after To): the API's 400, its message and each of its details, as the API words them.
    const from = await localInput(Date.now() + 60_000);
    const to = await localInput(Date.now() - 60 * 60_000);
    const iso = (v: string) => page.evaluate<string>(`new Date(${JSON.stringify(v)}).toISOString()`);
    const bad = await fetch(`${host.baseUrl}/api/recordings?${new URLSearchParams({ from: await iso(from), to: await iso(to) }).toString()}`, { headers: { 'x-functions-key': KEY } });
    expect(bad.status).toBe(400);
    const refused = ((await bad.json()) as { error: { code: string; message: string; details?: { path?: string; message?: string }[] } }).error;
    expect(refused.details?.length).toBeGreaterThan(0);
    await page.goto(`${host.baseUrl}/api/console#/`);
    await page.getByLabel('From').fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const listAlert = page.getByRole('alert');
    await listAlert.waitFor();
    const shown = await listAlert.innerText();
    expect(shown).toContain(`${refused.code}: ${refused.message}`);
    for (const d of refused.details!) expect(shown).toContain(`${d.path ? `${d.path}: ` : ''}${d.message}`);
    await shot(page, 'list-filter-refused');
    // The browser reports the 404 and 400 answers itself; nothing else went wrong.
    expect(consoleErrors.filter((e) => !/\b(404|400)\b/.test(e))).toEqual([]);
  });

  it('works from the keyboard alone, and every control has an accessible name', { timeout: 60_000 }, async () => {
    const { recordingId } = await archivedRecording();
    page = await newPage();
    await page.goto(`${host.baseUrl}/api/console`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('function-key');
    await page.keyboard.type(KEY);
    await page.keyboard.press('Enter');
    const link = `tr[data-recording-id="${recordingId}"] a`;
    await page.locator(link).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    // Tab to the recording's link (past sign-out and the filters; a date-time field takes one stop per part) and open it.
    for (let i = 0; i < 60 && !(await focusedOn(page, link)); i++) await page.keyboard.press('Tab');
    expect(await focusedOn(page, link)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Recording', exact: true }).waitFor();
    await page.getByLabel('Chunk 0 media').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    // The player and the chunk's buttons are reachable too.
    const download = '[data-chunk="0"] .buttons button';
    for (let i = 0; i < 30 && !(await focusedOn(page, download)); i++) await page.keyboard.press('Tab');
    expect(await focusedOn(page, download)).toBe(true);
    await shot(page, 'keyboard-detail');
    // Back to the listing from the keyboard: Shift+Tab to the "All recordings" link.
    const back = 'a[href="#/"]';
    for (let i = 0; i < 30 && !(await focusedOn(page, back)); i++) await page.keyboard.press('Shift+Tab');
    expect(await focusedOn(page, back)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Recordings' }).waitFor();
    expect(consoleErrors).toEqual([]);
  });

  it('fits the screen at 1280 px and at 390 px: the listing and a recording scroll only down', { timeout: 60_000 }, async () => {
    const { recordingId } = await archivedRecording();
    page = await newPage();
    await signIn(page);
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${host.baseUrl}/api/console#/`);
      await page.locator(`tr[data-recording-id="${recordingId}"]`).waitFor();
      expect(await overflow(), `listing at ${width} px`).toBeLessThanOrEqual(0);
      await shot(page, `fit-list-${width}px`);
      await page.goto(`${host.baseUrl}/api/console#/recordings/${toRecordingRouteId(recordingId)}`);
      await page.getByLabel('Chunk 0 media').waitFor();
      expect(await overflow(), `recording at ${width} px`).toBeLessThanOrEqual(0);
      await shot(page, `fit-recording-${width}px`);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('brings the sign-in box back, with the reason, when the key is refused', { timeout: 30_000 }, async () => {
    page = await newPage();
    await signIn(page, 'not-the-key');
    await page.getByRole('alert').filter({ hasText: 'refused (401)' }).waitFor();
    await page.getByLabel('Function key').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await shot(page, 'signin-refused');
    // The browser reports the refused request itself; nothing else went wrong.
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
