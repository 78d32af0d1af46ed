import { writeNatsAuthorisation } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { createDevPki } from '@dcc/pki';
import { helmBinary } from '@dcc/testkit';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

/** The repository's chart (deploy/helm/dcc-hub). */
export const CHART_DIR = fileURLToPath(new URL('../../deploy/helm/dcc-hub', import.meta.url));

export const RELEASE = 'hub';
export const NAMESPACE = 'dcc';

/** One rendered Kubernetes object, as `helm template` prints it. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const run = promisify(execFile);

/**
 * What an operator passes at install (docs/operations.md): the NATS authorisation generated for the network
 * operators and prepayment suppliers named, the hub's seed, a server certificate and the CA Users chain to (the development PKI here).
 */
export async function installFiles(
  networkOperators: Eui64[],
  prepaymentSuppliers: Eui64[] = [],
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dcc-chart-'));
  const nats = writeNatsAuthorisation(join(dir, 'nats'), networkOperators, prepaymentSuppliers);
  const pki = await createDevPki([]);
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  return [
    `nats.authorization=${nats.configFile}`,
    `natsCredentials.hubSeed=${nats.hubSeedFile}`,
    `tls.cert=${file('server.pem', pki.server.certificate)}`,
    `tls.key=${file('server.key', pki.server.privateKey)}`,
    `tls.clientCa=${file('ca.pem', pki.ca.certificate)}`,
  ].flatMap((setting) => ['--set-file', setting]);
}

/** Runs helm with the arguments; rejects with helm's own message when it fails. */
export async function helm(args: string[]): Promise<string> {
  try {
    const { stdout } = await run(helmBinary(), args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(failure.stderr?.trim() || failure.message);
  }
}

/** `helm template` of the chart, parsed into its objects. */
export async function renderChart(args: string[]): Promise<RenderedObject[]> {
  const out = await helm(['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...args]);
  // Strict YAML, as the API server's decoder is: a duplicate key or a syntax error fails the render.
  return parseAllDocuments(out, { uniqueKeys: true }).flatMap((doc) => {
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw new Error(`rendered YAML: ${problem.message}`);
    const object = doc.toJS() as RenderedObject | null;
    return object === null ? [] : [object];
  });
}
