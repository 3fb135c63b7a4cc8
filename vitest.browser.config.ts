// `npm run test:browser`: only the console's browser tests (test/browser), which then require Chromium. `npm test`
// runs them too (vitest.config.ts), skipping them with one line when Chromium is not installed.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

process.env.BROWSER_TESTS = 'required';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/browser/**/*.test.ts'], reporters: ['default'] } });
