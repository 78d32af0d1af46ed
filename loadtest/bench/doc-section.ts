import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the `## <heading>` section of a Markdown file (up to the next `## `) with `section`, or appends it;
 * every other section is kept. Benchmarks own their sections of docs/performance.md this way.
 */
export function replaceDocSection(file: string, heading: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const marker = `## ${heading}`;
  const start = current.search(new RegExp(`^${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'm'));
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const rest = current.slice(start + marker.length);
    const end = rest.search(/^## /m);
    const after = end < 0 ? '' : rest.slice(end);
    next = `${current.slice(0, start)}${section.trimEnd()}\n${after ? `\n${after}` : ''}`;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${next.trimEnd()}\n`);
}
