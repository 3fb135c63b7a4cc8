// A copy of an object without its undefined-valued keys: so a spread does not overwrite with undefined, and a
// response body lists only the fields that are set.

/** The type stays `T`: only keys whose value is undefined are left out, which optional properties allow. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
