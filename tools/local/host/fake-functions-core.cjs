// Stand-in for the `@azure/functions-core` module that the Functions host injects into the Node worker.
// With it present, `@azure/functions` registers functions and hooks instead of dropping them in "test mode", so the
// tests and the embedded local host (`npm start` without `func`) see exactly the metadata (bindings, routes,
// authLevel), wrapped callbacks and app hooks (appStart, preInvocation, postInvocation) the host would.
const registered = new Map();
/** Registered hook callbacks by hook name, in registration order. */
const hooks = new Map();
module.exports = {
  registered,
  hooks,
  /** Forget every registration (each vitest file re-imports the app's modules, which register again). */
  reset() {
    registered.clear();
    hooks.clear();
  },
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerFunction(metadata, callback) {
    // Overwrite: vitest re-imports src modules per test file within one worker.
    registered.set(metadata.name, { metadata, callback });
    return { dispose() { registered.delete(metadata.name); } };
  },
  registerHook(hookName, callback) {
    const list = hooks.get(hookName) ?? [];
    list.push(callback);
    hooks.set(hookName, list);
    return { dispose() { list.splice(list.indexOf(callback), 1); } };
  },
  log() {},
};
