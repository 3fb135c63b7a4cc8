// The hooks every suite against the ACS emulator repeated: one emulator for the test file, its injected faults
// cleared after each test (so a fault a test left behind cannot leak into the next one) and closed after all of them.
// Called at the top of a test file with top-level await, so the file keeps a plain `emu` constant:
//   const emu = await useAcsEmulator();
import { afterAll, afterEach } from 'vitest';
import { startAcsEmulator, type AcsEmulator, type AcsEmulatorOptions } from '../../tools/acs-emulator/index.js';

export async function useAcsEmulator(options: AcsEmulatorOptions = {}): Promise<AcsEmulator> {
  const emu = await startAcsEmulator(options);
  afterEach(() => {
    emu.clearFaults();
  });
  afterAll(async () => {
    await emu.close();
  });
  return emu;
}
