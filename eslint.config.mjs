import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries in two dimensions, from the tags in each project's package.json "nx" field.
 * type: what a project is. Services depend on libs only, never on each other; the test kit (type:testkit)
 * is for tests, e2e and the benchmarks, never for product code.
 * scope: which part of the hub it belongs to. libs/domain (scope:domain) depends on nothing; platform libs
 * on platform and domain; each part (access, registration, metering, grid, prepayment, scheduling, reporting) on itself, platform and domain.
 */
function moduleBoundaries(testFile) {
  const testkit = testFile ? ['type:testkit'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...testkit] },
      { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', ...testkit] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:testkit'] },
      {
        sourceTag: 'type:loadtest',
        onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:e2e', 'type:testkit'],
      },
      { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:domain'] },
      {
        sourceTag: 'scope:registration',
        onlyDependOnLibsWithTags: ['scope:registration', 'scope:platform', 'scope:domain'],
      },
      {
        sourceTag: 'scope:metering',
        onlyDependOnLibsWithTags: ['scope:metering', 'scope:platform', 'scope:domain'],
      },
      {
        sourceTag: 'scope:scheduling',
        onlyDependOnLibsWithTags: ['scope:scheduling', 'scope:platform', 'scope:domain'],
      },
      {
        sourceTag: 'scope:access',
        onlyDependOnLibsWithTags: ['scope:access', 'scope:platform', 'scope:domain'],
      },
      { sourceTag: 'scope:grid', onlyDependOnLibsWithTags: ['scope:grid', 'scope:platform', 'scope:domain'] },
      {
        sourceTag: 'scope:prepayment',
        onlyDependOnLibsWithTags: ['scope:prepayment', 'scope:platform', 'scope:domain'],
      },
      {
        sourceTag: 'scope:reporting',
        onlyDependOnLibsWithTags: ['scope:reporting', 'scope:platform', 'scope:domain'],
      },
      { sourceTag: 'scope:hub', onlyDependOnLibsWithTags: ['*'] },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'libs/proto/src/gen/**',
      '.nx/**',
      '.run/**',
      'loadtest/k6/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests may use the test kit (a real nats-server, free ports, gRPC probes); product code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)] },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  prettier,
);
