// The app's one way of dropping undefined-valued keys: so a spread does not overwrite with undefined, a response body
// or log line lists only the fields that are set, an entity is storable (Table Storage cannot hold undefined) and a
// value is identical before and after a JSON round-trip.

/**
 * A copy of `value` without its undefined-valued keys; with `deep`, the same for every nested plain object (arrays
 * and other values are kept as they are). The type stays `T`: only keys whose value is undefined are left out, which
 * optional properties allow.
 *
 * @example withoutUndefined({ a: 1, b: undefined }) // { a: 1 }
 */
export function withoutUndefined<T extends object>(value: T, { deep = false }: { deep?: boolean } = {}): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, deep && isPlainObject(v) ? withoutUndefined(v, { deep }) : v]),
  ) as T;
}

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
