import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// k6 resolves a module only as a k6 built-in ("k6", "k6/...") or a file named exactly, relative to the importer:
// no node_modules, no Node built-ins, no extension guessing. tsc (tsconfig.json here) checks the types; this
// checks that every import reachable from the scripts is one k6 can load.
const here = dirname(fileURLToPath(import.meta.url));
const SCRIPTS = ['hub-load.ts'];
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
    seen.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('.')) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return seen;
}

describe('k6 scripts', () => {
  for (const script of SCRIPTS) {
    it(`${script}: every import is a k6 module or an existing relative .ts file`, () => {
      const files = reachable(join(here, script));
      expect(files.size).toBeGreaterThan(5); // the script, its helpers and the model
      for (const [file, specifiers] of files) {
        for (const s of specifiers) {
          const where = `${relative(here, file)} imports ${s}`;
          if (s.startsWith('.')) {
            expect(s.endsWith('.ts'), where).toBe(true);
            expect(existsSync(resolve(dirname(file), s)), where).toBe(true);
          } else {
            expect(s === 'k6' || s.startsWith('k6/'), where).toBe(true);
          }
        }
      }
    });
  }
});
