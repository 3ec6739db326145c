import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// The root config only collects src/ and test/; this runs the example-case checks alone until the
// root config also collects examples/. Usage: npx vitest run --config examples/example-case/vitest.config.ts
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { ...base.test, include: ['examples/example-case/**/*.test.ts'] },
});
