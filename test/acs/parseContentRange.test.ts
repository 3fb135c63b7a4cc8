import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../src/acs/parseContentRange.js';

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-63/64', { start: 0, end: 63, total: 64 }],
    ['bytes 10-109/1000', { start: 10, end: 109, total: 1000 }],
    ['BYTES 5-5/*', { start: 5, end: 5 }],
    ['bytes */1000', undefined],
    ['bytes 9-3/10', undefined],
    ['bytes 0-10/10', undefined],
    ['items 0-1/2', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });
});
