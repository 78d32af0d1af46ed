import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTO_FILES, PROTO_ROOT } from './index.js';

function protoFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return protoFilesUnder(path);
    return name.endsWith('.proto') ? [relative(PROTO_ROOT, path)] : [];
  });
}

describe('PROTO_FILES', () => {
  it('lists every .proto source, so reflection describes the whole API', () => {
    expect([...PROTO_FILES].sort()).toEqual(protoFilesUnder(PROTO_ROOT).sort());
  });
});
