// The entry of a benchmark worker process: run once, print the result as one JSON line, exit 0; or print the error
// and exit 1. The parent reads the last stdout line.
export function runWorkerMain<I, R>(run: (input: I) => Promise<R>): void {
  run(JSON.parse(process.argv[2] ?? '{}') as I).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
