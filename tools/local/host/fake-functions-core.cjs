// Stand-in for the `@azure/functions-core` module that the Functions host injects into the Node worker.
// With it present, `@azure/functions` registers functions instead of dropping them in "test mode", so tests
// see exactly the metadata (bindings, routes, authLevel) and wrapped callbacks the host would.
const registered = new Map();
module.exports = {
  registered,
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerFunction(metadata, callback) {
    // Overwrite: vitest re-imports src modules per test file within one worker.
    registered.set(metadata.name, { metadata, callback });
    return { dispose() { registered.delete(metadata.name); } };
  },
  registerHook() { return { dispose() {} }; },
  log() {},
};
