import { describe, expect, it } from 'vitest';
import { archiveInstanceId } from '../../src/archive/archiveInstanceId.js';

describe('archiveInstanceId', () => {
  const rec = 'eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ==';

  it('is deterministic and independent of chunk order', () => {
    expect(archiveInstanceId(rec, ['b', 'a', 'c'])).toBe(archiveInstanceId(rec, ['c', 'b', 'a']));
  });

  it('only uses characters Durable allows, within the length limit', () => {
    const id = archiveInstanceId(`${rec}/#?\\`, ['x']);
    expect(id).toMatch(/^archive-[A-Za-z0-9_-]{43}-[A-Za-z0-9_-]{16}$/);
    expect(id.length).toBeLessThanOrEqual(256);
  });

  it('differs per recording and per chunk set', () => {
    const base = archiveInstanceId(rec, ['a', 'b']);
    expect(archiveInstanceId(`${rec}x`, ['a', 'b'])).not.toBe(base);
    expect(archiveInstanceId(rec, ['a', 'b', 'c'])).not.toBe(base);
    expect(archiveInstanceId(rec, [])).not.toBe(base);
    // The recording part stays the same, so all instances of one recording share a prefix.
    expect(archiveInstanceId(rec, ['a', 'b', 'c']).slice(0, 52)).toBe(base.slice(0, 52));
  });
});
