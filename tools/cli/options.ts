// Command-line option values of the project's tools (npm start, npm run simulate, npm run emulator), checked in one
// place: a bad value stops the tool with a message naming the option and the value it got.

export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** An integer option within [min, max]. */
export function parseIntegerOption(name: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new OptionError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** `parseIntegerOption` for an option that may be absent. */
export function parseOptionalIntegerOption(name: string, value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return value === undefined ? undefined : parseIntegerOption(name, value, min, max);
}

/** One of a fixed set of values. */
export function parseChoiceOption<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new OptionError(`--${name} must be ${choices.join(', ')}; got "${value}"`);
  return value as T;
}
