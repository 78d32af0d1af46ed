import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The V8 flags every service process runs with: the root package.json's `config.serviceNodeOptions`, the one
 * place they are set for local runs (`npm start`, tests, benchmarks); the Helm chart's `common.nodeOptions`
 * carries the same for Kubernetes (helm-chart.spec keeps the two equal). Why these flags: docs/performance.md,
 * "Garbage collection: the young generation".
 */
export function serviceNodeOptions(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    config?: { serviceNodeOptions?: string };
  };
  return (manifest.config?.serviceNodeOptions ?? '').split(/\s+/).filter((flag) => flag !== '');
}
