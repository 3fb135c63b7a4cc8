import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5 } from '../../../src/archive/transfer/Md5.js';

const native = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

describe('Md5', () => {
  it('matches the RFC 1321 test suite', () => {
    const vectors: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [input, hex] of vectors) expect(new Md5().update(Buffer.from(input)).digest().toString('hex')).toBe(hex);
  });

  it('matches node:crypto for every length around the padding boundaries and any chunking', () => {
    for (let n = 0; n <= 300; n++) {
      const data = randomBytes(n);
      expect(new Md5().update(data).digest().toString('hex')).toBe(native(data));
    }
    const data = randomBytes(100_003);
    for (const chunk of [1, 7, 63, 64, 65, 1000, 4096, 99_999]) {
      const md5 = new Md5();
      for (let p = 0; p < data.length; p += chunk) md5.update(data.subarray(p, p + chunk));
      expect(md5.digest().toString('hex'), `chunk ${chunk}`).toBe(native(data));
    }
  });

  it('gives the same digest whether the input is 4-byte aligned (word view) or not (scratch copy)', () => {
    const data = randomBytes(64 * 50 + 13);
    const backing = Buffer.alloc(data.length + 8);
    for (let shift = 0; shift < 4; shift++) {
      // The same bytes at byteOffset 0..3 of one ArrayBuffer: only shift 0 takes the aligned path.
      const view = new Uint8Array(backing.buffer, backing.byteOffset + shift, data.length);
      view.set(data);
      expect(new Md5().update(view).digest().toString('hex'), `shift ${shift}`).toBe(native(data));
      // Once misaligned by a partial first update, later whole blocks must not take the aligned path wrongly.
      const split = new Md5().update(view.subarray(0, 5)).update(view.subarray(5));
      expect(split.digest().toString('hex'), `shift ${shift} split`).toBe(native(data));
    }
  });

  it('continues from an exported state exactly as if never interrupted, and digest() does not disturb it', () => {
    const data = randomBytes(64 * 1000 + 17);
    const first = new Md5().update(data.subarray(0, 64 * 600));
    expect(first.digest().toString('hex')).toBe(native(data.subarray(0, 64 * 600)));
    const resumed = Md5.fromState(first.exportState(), 64 * 600).update(data.subarray(64 * 600));
    expect(resumed.digest().toString('hex')).toBe(native(data));
    expect(resumed.length).toBe(data.length);
    expect(first.update(data.subarray(64 * 600)).digest().toString('hex')).toBe(native(data));
  });

  it('refuses to export or restore a state off a 64-byte boundary', () => {
    expect(() => new Md5().update(Buffer.alloc(10)).exportState()).toThrow(RangeError);
    expect(() => Md5.fromState(Buffer.alloc(16), 10)).toThrow(RangeError);
    expect(() => Md5.fromState(Buffer.alloc(15), 64)).toThrow(RangeError);
  });
});
