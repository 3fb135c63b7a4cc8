// ACS enum values read back from the service (recording states and kinds), compared case-insensitively: JS SDK 1.6.0
// uses camelCase where 1.5.x used PascalCase, and the casing the service sends is not documented. A known value comes
// back in the app's camelCase spelling; an unknown one is kept exactly as it came, never dropped.
import { z } from 'zod';

/** A known value of `T`, or any other string (kept as sent). */
export type OpenEnum<T extends string> = T | (string & {});

/** The canonical spelling of `value` among `known`, or `value` itself. */
export function knownEnumValue<T extends string>(known: readonly T[], value: string): OpenEnum<T> {
  const lower = value.toLowerCase();
  return known.find((k) => k.toLowerCase() === lower) ?? value;
}

/** A zod string normalized by {@link knownEnumValue}. */
export function knownEnumSchema<T extends string>(known: readonly T[]): z.ZodType<OpenEnum<T>, string> {
  return z.string().transform((v) => knownEnumValue(known, v));
}
