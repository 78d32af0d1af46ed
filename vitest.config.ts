import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "@dcc/source" export condition,
// so tests run without a build.
const conditions = ['@dcc/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: [
      'libs/*/src/**/*.spec.ts',
      'libs/*/test/**/*.spec.ts',
      'services/*/src/**/*.spec.ts',
      'services/*/test/**/*.spec.ts',
      'e2e/test/**/*.spec.ts',
      'loadtest/**/*.spec.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./vitest.temp-root.ts'],
  },
});
