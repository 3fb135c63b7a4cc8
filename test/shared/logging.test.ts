// The log line format: a message plus its fields as JSON, undefined fields dropped, and each id once — a URL, blob
// name or location that repeats one of the line's ids names it as `{recordingId}` (etc.), in any of its spellings.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, type Logger } from '../../src/shared/logging.js';

/** A console logger whose lines are kept (the formatter every logger uses), for the current test. */
function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
  return { log: consoleLogger(), lines };
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Real ACS shapes: a base64 JSON recording id with + / =, a base64 URL server call id.
const recordingId = 'eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiI1ODExODIxZC03NjQ3LTQwMWYtYTQ2My0xYjA1OWQ5OWRlNTQiLCJOb25jZSI6Imc4UW4+Tjh5QVk/bkh0In0=';
const serverCallId = 'aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEyLTA3LXByb2QtYWtzLmNvbnYuc2t5cGUuY29tL2NvbnYvNDRSSDJyT1hoM2Zo';
const documentId = '0-eus-d2-4a21be3ee51ed6912389f51bcb0770bb';

describe('log lines', () => {
  it('carry each id once: values that repeat an id say {name}, in raw, URL-encoded and base64url spellings', () => {
    const { log, lines } = capture();
    log.with({ recordingId, serverCallId }).info('ACS request attempt', {
      documentId,
      url: `http://127.0.0.1:8123/calling/recordings/${encodeURIComponent(recordingId)}?api-version=***`,
      deleteLocation: `http://127.0.0.1:8123/v1/objects/${documentId}`,
      blobName: `2026/12/07/c0ffee/${recordingId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}/manifest.json`,
      note: `raw ${recordingId}`,
      skipped: undefined,
      status: 204,
    });
    expect(lines).toHaveLength(1);
    const [message, json] = [lines[0]!.slice(0, 'ACS request attempt'.length), lines[0]!.slice('ACS request attempt '.length)];
    expect(message).toBe('ACS request attempt');
    expect(JSON.parse(json)).toEqual({
      recordingId,
      serverCallId,
      documentId,
      url: 'http://127.0.0.1:8123/calling/recordings/{recordingId}?api-version=***',
      deleteLocation: 'http://127.0.0.1:8123/v1/objects/{documentId}',
      blobName: '2026/12/07/c0ffee/{recordingId}/manifest.json',
      note: 'raw {recordingId}',
      status: 204,
    });
    // Each id appears exactly once on the line.
    expect(lines[0]!.split(recordingId).length - 1).toBe(1);
    expect(lines[0]!.split(documentId).length - 1).toBe(1);
  });

  it('leave values alone when the line does not carry the id, and short ids untouched', () => {
    const { log, lines } = capture();
    log.info('Archiving', { url: `http://x/v1/objects/${documentId}`, documentId: 'short', blob: 'a/short/b' });
    expect(JSON.parse(lines[0]!.slice('Archiving '.length))).toEqual({ url: `http://x/v1/objects/${documentId}`, documentId: 'short', blob: 'a/short/b' });
  });

  it('print the bare message when no field has a value', () => {
    const { log, lines } = capture();
    log.info('Started', { recordingId: undefined });
    expect(lines).toEqual(['Started']);
  });
});
