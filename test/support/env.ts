// Sets process.env for one test and restores it afterwards; every change resets the configuration and with it
// everything built from it (ACS clients, state store, recording service, JWT verifier), so they re-read the settings.
import { resetConfig } from '../../src/config.js';

export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfig();
  };
  set(vars);
  return () => set(previous);
}
