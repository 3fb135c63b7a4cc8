// Recording storage document ids in the real style, e.g. `0-eus-d12-801b3f3fc462fe8a01e6810cbff729b8` (reference §4b).
import { randomBytes, randomInt } from 'node:crypto';

export function mintDocumentId(): string {
  return `0-eus-d${randomInt(1, 21)}-${randomBytes(16).toString('hex')}`;
}
