import { describe, expect, it } from 'vitest';
import { withoutUndefined } from '../../src/shared/withoutUndefined.js';

describe('withoutUndefined (src/shared/withoutUndefined.ts)', () => {
  it('drops undefined-valued keys and keeps null, false, 0 and empty strings', () => {
    expect(withoutUndefined({ a: 1, b: undefined, c: null, d: false, e: 0, f: '' })).toStrictEqual({ a: 1, c: null, d: false, e: 0, f: '' });
  });

  it('leaves nested objects alone unless deep, and never touches arrays', () => {
    const value = { a: { b: undefined, c: 1 }, list: [undefined, { d: undefined }] };
    expect(withoutUndefined(value)).toStrictEqual(value);
    expect(withoutUndefined(value, { deep: true })).toStrictEqual({ a: { c: 1 }, list: [undefined, { d: undefined }] });
  });
});
