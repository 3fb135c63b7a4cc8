// MD5 (RFC 1321) in plain TypeScript, because node:crypto cannot export or import a hash's internal state (so this is
// not a second copy of node:crypto's MD5, but the one that can be resumed).
// The transfer engine needs exactly that: the running whole-file MD5 after every staged block is written into the
// block's ID, so a later call can continue the hash from the last staged block instead of re-reading the file.
// The 64 steps are unrolled with the RFC's constants T[i] = floor(2^32 * abs(sin(i + 1))) and shifts inlined, and the
// message words are read through an Int32Array view of the caller's buffer (no per-byte loads, no copy) whenever it
// is 4-byte aligned, as the transfer's block buffers always are: about 0.7x native speed, nothing allocated per block.

/** Initial state words A, B, C, D (RFC 1321 §3.3). */
const INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/** MD5 reads its message as little-endian words: on a little-endian CPU an Int32Array view over the bytes is exactly that. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Size in bytes of an exported state: the four 32-bit words A, B, C, D, little-endian. */
export const MD5_STATE_BYTES = 16;

/** An incremental MD5 whose state can be exported at 64-byte boundaries and restored later. */
export class Md5 {
  private readonly h = Int32Array.from(INITIAL);
  private readonly tail = new Int32Array(16);
  private readonly tailBytes = new Uint8Array(this.tail.buffer);
  private readonly tailView = new DataView(this.tail.buffer);
  private tailLength = 0;
  private total = 0;

  /** Bytes hashed so far. */
  get length(): number {
    return this.total;
  }

  /** Continues a hash from {@link exportState} after `length` bytes (a multiple of 64). */
  static fromState(state: Uint8Array, length: number): Md5 {
    if (state.length !== MD5_STATE_BYTES) throw new RangeError(`MD5 state must be ${MD5_STATE_BYTES} bytes`);
    if (!Number.isSafeInteger(length) || length < 0 || length % 64 !== 0) throw new RangeError('MD5 state length must be a multiple of 64');
    const md5 = new Md5();
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    for (let i = 0; i < 4; i++) md5.h[i] = view.getInt32(i * 4, true);
    md5.total = length;
    return md5;
  }

  update(data: Uint8Array): this {
    let p = 0;
    const n = data.length;
    this.total += n;
    if (this.tailLength > 0) {
      const take = Math.min(64 - this.tailLength, n);
      this.tailBytes.set(data.subarray(0, take), this.tailLength);
      this.tailLength += take;
      p = take;
      if (this.tailLength < 64) return this;
      this.compressTail();
      this.tailLength = 0;
    }
    const whole = (n - p) & ~63;
    if (whole > 0) {
      if (LITTLE_ENDIAN && (data.byteOffset + p) % 4 === 0) {
        // Fast path: read the message words straight from the caller's memory (no copy, no per-byte loads).
        const words = new Int32Array(data.buffer, data.byteOffset + p, whole / 4);
        for (let i = 0; i < words.length; i += 16) this.compress(words, i);
      } else {
        // Unaligned input (or a big-endian CPU): through the 64-byte scratch block.
        for (let q = p; q < p + whole; q += 64) {
          this.tailBytes.set(data.subarray(q, q + 64), 0);
          this.compressTail();
        }
      }
      p += whole;
    }
    if (p < n) {
      this.tailBytes.set(data.subarray(p), 0);
      this.tailLength = n - p;
    }
    return this;
  }

  /** Compresses the 64 bytes in `tailBytes` (byte-swapped to little-endian words first on a big-endian CPU). */
  private compressTail(): void {
    if (!LITTLE_ENDIAN) for (let i = 0; i < 16; i++) this.tail[i] = this.tailView.getInt32(i * 4, true);
    this.compress(this.tail, 0);
  }

  /** The internal state (A, B, C, D little-endian); only defined when {@link length} is a multiple of 64. */
  exportState(): Buffer {
    if (this.tailLength !== 0) throw new RangeError('MD5 state can only be exported at a 64-byte boundary');
    const out = Buffer.alloc(MD5_STATE_BYTES);
    for (let i = 0; i < 4; i++) out.writeInt32LE(this.h[i]!, i * 4);
    return out;
  }

  /** The digest of everything hashed so far. Does not change this hash, which may keep being updated. */
  digest(): Buffer {
    const copy = new Md5();
    copy.h.set(this.h);
    copy.tail.set(this.tail);
    copy.tailLength = this.tailLength;
    copy.total = this.total;
    return copy.finish();
  }

  private finish(): Buffer {
    // RFC 1321 §3.1-3.2: append 0x80, zero-pad to 56 mod 64, then the bit length as a 64-bit little-endian integer.
    const bits = this.total * 8;
    const padLength = (this.tailLength < 56 ? 56 : 120) - this.tailLength;
    const pad = new Uint8Array(padLength + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(padLength, bits >>> 0, true);
    view.setUint32(padLength + 4, Math.floor(bits / 0x1_0000_0000), true);
    this.update(pad);
    const out = Buffer.alloc(16);
    for (let i = 0; i < 4; i++) out.writeInt32LE(this.h[i]!, i * 4);
    return out;
  }

  /** RFC 1321 §3.4: one 64-byte block. */
  private compress(m: Int32Array, o: number): void {
    const x0 = m[o + 0]!;
    const x1 = m[o + 1]!;
    const x2 = m[o + 2]!;
    const x3 = m[o + 3]!;
    const x4 = m[o + 4]!;
    const x5 = m[o + 5]!;
    const x6 = m[o + 6]!;
    const x7 = m[o + 7]!;
    const x8 = m[o + 8]!;
    const x9 = m[o + 9]!;
    const x10 = m[o + 10]!;
    const x11 = m[o + 11]!;
    const x12 = m[o + 12]!;
    const x13 = m[o + 13]!;
    const x14 = m[o + 14]!;
    const x15 = m[o + 15]!;
    const h = this.h;
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let t: number;
    // Four rounds of sixteen steps, unrolled (RFC 1321 §3.4): a = b + ((a + F(b,c,d) + X[k] + T[i]) <<< s).
    t = (a + ((b & c) | (~b & d)) + x0 + 0xd76aa478) | 0; a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + x1 + 0xe8c7b756) | 0; d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + x2 + 0x242070db) | 0; c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + x3 + 0xc1bdceee) | 0; b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + x4 + 0xf57c0faf) | 0; a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + x5 + 0x4787c62a) | 0; d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + x6 + 0xa8304613) | 0; c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + x7 + 0xfd469501) | 0; b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + x8 + 0x698098d8) | 0; a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + x9 + 0x8b44f7af) | 0; d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + x10 + 0xffff5bb1) | 0; c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + x11 + 0x895cd7be) | 0; b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((b & c) | (~b & d)) + x12 + 0x6b901122) | 0; a = (b + ((t << 7) | (t >>> 25))) | 0;
    t = (d + ((a & b) | (~a & c)) + x13 + 0xfd987193) | 0; d = (a + ((t << 12) | (t >>> 20))) | 0;
    t = (c + ((d & a) | (~d & b)) + x14 + 0xa679438e) | 0; c = (d + ((t << 17) | (t >>> 15))) | 0;
    t = (b + ((c & d) | (~c & a)) + x15 + 0x49b40821) | 0; b = (c + ((t << 22) | (t >>> 10))) | 0;
    t = (a + ((d & b) | (~d & c)) + x1 + 0xf61e2562) | 0; a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + x6 + 0xc040b340) | 0; d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + x11 + 0x265e5a51) | 0; c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + x0 + 0xe9b6c7aa) | 0; b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + x5 + 0xd62f105d) | 0; a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + x10 + 0x02441453) | 0; d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + x15 + 0xd8a1e681) | 0; c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + x4 + 0xe7d3fbc8) | 0; b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + x9 + 0x21e1cde6) | 0; a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + x14 + 0xc33707d6) | 0; d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + x3 + 0xf4d50d87) | 0; c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + x8 + 0x455a14ed) | 0; b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + ((d & b) | (~d & c)) + x13 + 0xa9e3e905) | 0; a = (b + ((t << 5) | (t >>> 27))) | 0;
    t = (d + ((c & a) | (~c & b)) + x2 + 0xfcefa3f8) | 0; d = (a + ((t << 9) | (t >>> 23))) | 0;
    t = (c + ((b & d) | (~b & a)) + x7 + 0x676f02d9) | 0; c = (d + ((t << 14) | (t >>> 18))) | 0;
    t = (b + ((a & c) | (~a & d)) + x12 + 0x8d2a4c8a) | 0; b = (c + ((t << 20) | (t >>> 12))) | 0;
    t = (a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0; a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + x8 + 0x8771f681) | 0; d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0; c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0; b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0; a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0; d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0; c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0; b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0; a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0; d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0; c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + x6 + 0x04881d05) | 0; b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0; a = (b + ((t << 4) | (t >>> 28))) | 0;
    t = (d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0; d = (a + ((t << 11) | (t >>> 21))) | 0;
    t = (c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0; c = (d + ((t << 16) | (t >>> 16))) | 0;
    t = (b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0; b = (c + ((t << 23) | (t >>> 9))) | 0;
    t = (a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0; a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0; d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0; c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0; b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0; a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0; d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0; c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0; b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0; a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0; d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0; c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0; b = (c + ((t << 21) | (t >>> 11))) | 0;
    t = (a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0; a = (b + ((t << 6) | (t >>> 26))) | 0;
    t = (d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0; d = (a + ((t << 10) | (t >>> 22))) | 0;
    t = (c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0; c = (d + ((t << 15) | (t >>> 17))) | 0;
    t = (b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0; b = (c + ((t << 21) | (t >>> 11))) | 0;
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
  }
}
