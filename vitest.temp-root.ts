import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every temporary directory the tests make (LMDB working sets, nats-server stores, test
 * PKIs) goes under one root for the run, removed when the run ends. Test workers are stopped with a signal, so
 * their own exit handlers never run and their directories used to pile up (about 500 per full run).
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'dcc-test-run-'));
  // Workers and the processes they start inherit it: os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
