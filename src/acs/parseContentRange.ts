// `Content-Range: bytes <first>-<last>/<complete-length or *>` (RFC 9110 §14.4).

export interface ContentRange {
  start: number;
  end: number;
  /** Complete length, or undefined for `*`. */
  total?: number;
}

/** Parses a satisfied byte range; `undefined` for an absent, unsatisfied (`bytes *\/n`) or malformed header. */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  const m = header ? /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (end < start || (total !== undefined && end >= total)) return undefined;
  return total === undefined ? { start, end } : { start, end, total };
}
