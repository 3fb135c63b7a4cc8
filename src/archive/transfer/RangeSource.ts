// The seam between whatever serves the bytes and the blob writer. It earns its keep as a layer of its own: it has two
// implementations — mediaRangeSource.ts (ACS recording storage, through the ACS media client) and the generated
// sources of the tests and benchmarks (faults, sizes and speeds on demand) — and it keeps the transfer engine free of
// src/acs. Its response is the ACS client's `MediaDownload` shape minus the status, so the ACS side passes through.

/** One opened response of a {@link RangeSource}. */
export interface RangeSourceResponse {
  /** The body, streamed from {@link start}. Never buffered by the source. */
  body: NodeJS.ReadableStream;
  /**
   * Offset of the body's first byte in the source. Normally the requested offset; `0` when the server ignored the
   * range and sent the whole file (HTTP 200) — the transfer then skips up to the offset itself.
   */
  start: number;
  /** Total size of the source (`Content-Range` total, or `Content-Length` of a 200), if the server told. */
  totalSize?: number;
  /** Bytes in this response (`Content-Length`), if known. */
  contentLength?: number;
  contentType?: string;
}

/** Options of {@link RangeSource.open}. */
export interface RangeSourceOpenOptions {
  /** Bytes wanted from `offset`; absent means "to the end". */
  length?: number;
  abortSignal?: AbortSignal;
}

/** A byte source that can be (re)opened at an offset — the seam between ACS downloads and blob writing. */
export interface RangeSource {
  open(offset: number, options?: RangeSourceOpenOptions): Promise<RangeSourceResponse>;
  /** What to call the source in logs; must not contain secrets (signed URLs go through `redactUrl`). */
  readonly label?: string;
}
