// CONSOLE_ENABLED: the operator console is on unless turned off; a bad value is reported like every other setting.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('CONSOLE_ENABLED', () => {
  it('defaults to true and reads true/false/1/0', () => {
    expect(loadConfig({}).consoleEnabled).toBe(true);
    expect(loadConfig({ CONSOLE_ENABLED: '' }).consoleEnabled).toBe(true);
    expect(loadConfig({ CONSOLE_ENABLED: 'false' }).consoleEnabled).toBe(false);
    expect(loadConfig({ CONSOLE_ENABLED: ' FALSE ' }).consoleEnabled).toBe(false);
    expect(loadConfig({ CONSOLE_ENABLED: '0' }).consoleEnabled).toBe(false);
    expect(loadConfig({ CONSOLE_ENABLED: 'true' }).consoleEnabled).toBe(true);
  });

  it('refuses anything else, naming the setting and its value', () => {
    expect(() => loadConfig({ CONSOLE_ENABLED: 'off' })).toThrow(/CONSOLE_ENABLED must be true or false, got "off"/);
  });
});
