// Constant-time comparison of the `?token=` callback secret.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `presented` equals `expected`. Both are hashed first so `timingSafeEqual` always compares two equal-length
 * digests: neither the content nor the length of the secret leaks through timing.
 */
export function callbackTokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
