import { parseEui64 } from '@dcc/domain';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as models from 'kubernetes-models';
import { natsServerBinary, serviceNodeOptions } from '@dcc/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHART_DIR,
  helm,
  installFiles,
  NAMESPACE,
  RELEASE,
  renderChart,
  type RenderedObject,
} from './chart-render.js';

const DNO = '90-B3-D5-1F-30-02-00-00';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVICES_DIR = fileURLToPath(new URL('../../services', import.meta.url));

interface Validating {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validating;

/** The kubernetes-models class of an object's apiVersion and kind: `apps/v1` → models.apps.v1, `v1` → models.v1. */
function modelOf(object: RenderedObject): ModelClass {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  const groupKey = group?.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\./g, '');
  const byVersion = (groupKey ? (models as Record<string, unknown>)[groupKey] : models) as
    Record<string, Record<string, ModelClass>> | undefined;
  const model = byVersion?.[version!]?.[object.kind];
  if (!model) throw new Error(`no Kubernetes schema for ${object.apiVersion} ${object.kind}`);
  return model;
}

const named = (objects: RenderedObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are checked field by field below */
const podSpec = (workload: RenderedObject): any => (workload.spec as any).template.spec;

let files: string[];
let objects: RenderedObject[];

beforeAll(async () => {
  files = await installFiles([parseEui64(DNO, 'network operator')], [parseEui64(SUPPLIER, 'supplier')]);
  objects = await renderChart(files);
}, 60_000);

describe('the Helm chart', () => {
  it('passes helm lint with the values an installation passes', async () => {
    const out = await helm(['lint', CHART_DIR, '--strict', ...files]);
    expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders only objects that validate against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    const invalid = objects.flatMap((object) => {
      try {
        new (modelOf(object))(object).validate();
        return [];
      } catch (error) {
        return [`${object.kind} ${object.metadata.name}: ${(error as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('has a schema check that refuses a broken object', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const broken = structuredClone(deployment);
    podSpec(broken).containers[0].ports[0].containerPort = 'fifty';
    expect(() => new (modelOf(broken))(broken).validate()).toThrow(/containerPort must be integer/);
  });

  it('deploys every service in services/ with a headless Service and gRPC probes on the health service', () => {
    const services = readdirSync(SERVICES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(services).toContain('access-control');
    for (const service of services) {
      const name = `${RELEASE}-dcc-hub-${service}`;
      const workload = named(objects, 'Deployment', name) ?? named(objects, 'StatefulSet', name);
      expect(workload, `workload of ${service}`).toBeDefined();
      const container = podSpec(workload!).containers[0];
      expect(container.readinessProbe.grpc).toEqual({ port: 8086, service: '' });
      expect(container.startupProbe.grpc).toEqual({ port: 8086, service: '' });
      expect(container.livenessProbe.grpc).toEqual({ port: 8086, service: 'liveness' });
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(env.HEALTH_PORT).toBe('8086');
      expect(env.METRICS_PORT).toBe('9464');
      expect(env.STREAM_REPLICAS).toBe('3');
      expect(env.NATS_NKEY_SEED_FILE).toBe('/etc/dcc/nats/hub.nk');
      expect(env.NATS_URL.split(',')).toHaveLength(3);
      // The same V8 flags as local runs (package.json config.serviceNodeOptions), so benchmarks measure the chart.
      expect(env.NODE_OPTIONS.split(' ')).toEqual(serviceNodeOptions(ROOT));
      const headless = named(objects, 'Service', name);
      expect((headless!.spec as any).clusterIP).toBe('None');
      expect(named(objects, 'NetworkPolicy', name)).toBeDefined();
    }
  });

  it('runs instances with an identity as StatefulSets named by pod, and autoscales only Deployments', () => {
    for (const service of ['smets2-adapter', 'smets1-adapter', 'registration']) {
      const set = named(objects, 'StatefulSet', `${RELEASE}-dcc-hub-${service}`)!;
      const instanceId = podSpec(set).containers[0].env.find((e: any) => e.name === 'INSTANCE_ID');
      expect(instanceId.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    }
    // Registration instances all follow the record and take writes: two, rolled one at a time, one allowed down.
    expect((named(objects, 'StatefulSet', `${RELEASE}-dcc-hub-registration`)!.spec as any).replicas).toBe(2);
    expect(named(objects, 'PodDisruptionBudget', `${RELEASE}-dcc-hub-registration`)).toBeDefined();
    // Scheduling: two pods, one leader lease held by pod name; prepayment: two interchangeable pods.
    const scheduling = named(objects, 'StatefulSet', `${RELEASE}-dcc-hub-scheduling`)!;
    expect((scheduling.spec as any).replicas).toBe(2);
    expect(podSpec(scheduling).containers[0].env.find((e: any) => e.name === 'INSTANCE_ID')).toBeDefined();
    expect((named(objects, 'Deployment', `${RELEASE}-dcc-hub-prepayment`)!.spec as any).replicas).toBe(2);
    for (const service of ['scheduling', 'prepayment'])
      expect(named(objects, 'PodDisruptionBudget', `${RELEASE}-dcc-hub-${service}`)).toBeDefined();
    const targets = objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => (o.spec as any).scaleTargetRef.kind);
    expect(targets).toContain('Deployment');
    expect(new Set(targets)).toEqual(new Set(['Deployment']));
    expect(named(objects, 'PodDisruptionBudget', `${RELEASE}-dcc-hub-access-control`)).toBeDefined();
  });

  it('runs NATS as a three-server JetStream cluster with the generated DNO and supplier permissions', () => {
    const nats = named(objects, 'StatefulSet', `${RELEASE}-dcc-hub-nats`)!;
    expect((nats.spec as any).replicas).toBe(3);
    const config = named(objects, 'ConfigMap', `${RELEASE}-dcc-hub-nats-config`)!.data as Record<
      string,
      string
    >;
    expect(config['nats.conf']).toContain('jetstream {');
    expect(config['nats.conf']).toContain(`hub-dcc-hub-nats-2.hub-dcc-hub-nats.${NAMESPACE}.svc:6222`);
    expect(config['nats.conf']).toContain('include ./auth.conf');
    expect(config['auth.conf']).toContain(`"grid.${DNO}.>"`);
    // Each network operator in a NATS account of its own, publishing only into its own feed's consumer API.
    expect(config['auth.conf']).toContain(`"DNO_${DNO}": {`);
    expect(config['auth.conf']).toMatch(
      /permissions: \{ publish: \{ allow: \["JS\.HUB\.API\.CONSUMER\.MSG\.NEXT\./,
    );
    // Each prepayment supplier in an account of its own, exporting only its approval service to the hub.
    expect(config['auth.conf']).toContain(`"SUPPLIER_${SUPPLIER}": {`);
    expect(config['auth.conf']).toContain(
      `exports: [ { service: "dcc.prepayment.approval.${SUPPLIER}", accounts: ["HUB"] } ]`,
    );
    expect(
      (named(objects, 'PodDisruptionBudget', `${RELEASE}-dcc-hub-nats`)!.spec as any).maxUnavailable,
    ).toBe(1);
  });

  it('renders a NATS configuration nats-server itself accepts', () => {
    const config = named(objects, 'ConfigMap', `${RELEASE}-dcc-hub-nats-config`)!.data as Record<
      string,
      string
    >;
    const dir = mkdtempSync(join(tmpdir(), 'dcc-nats-conf-'));
    for (const [file, content] of Object.entries(config)) writeFileSync(join(dir, file), content);
    const check = spawnSync(natsServerBinary(), ['-c', join(dir, 'nats.conf'), '-t'], {
      cwd: dir,
      env: { ...process.env, SERVER_NAME: `${RELEASE}-dcc-hub-nats-0` },
      encoding: 'utf8',
    });
    expect(`${check.stdout}${check.stderr}`).toMatch(/configuration file .*nats.conf is valid/);
    expect(check.status).toBe(0);
  });

  it('refuses to render without the NATS authorisation or the hub credential', async () => {
    await expect(renderChart([])).rejects.toThrow(/nats.authorization|natsCredentials.hubSeed|tls.cert/);
    const at = files.findIndex((f) => f.startsWith('nats.authorization='));
    const withoutAuth = files.filter((_, i) => i !== at && i !== at - 1);
    await expect(renderChart(withoutAuth)).rejects.toThrow(/nats.authorization/);
  });

  it('leaves a service out when it is disabled, and refuses an unknown workload kind', async () => {
    const without = await renderChart([...files, '--set', 'services.grid-feeds.enabled=false']);
    expect(named(without, 'Deployment', `${RELEASE}-dcc-hub-grid-feeds`)).toBeUndefined();
    await expect(renderChart([...files, '--set', 'services.scheduling.kind=DaemonSet'])).rejects.toThrow(
      /Deployment or StatefulSet/,
    );
  });

  it('gives every SMETS1 adapter replica the one DCO key pair, and refuses several replicas without it', async () => {
    const smets1 = named(objects, 'StatefulSet', `${RELEASE}-dcc-hub-smets1-adapter`)!;
    const env = ((smets1.spec as any).template.spec.containers[0].env as { name: string }[]).map(
      (e) => e.name,
    );
    expect(env).toEqual(expect.arrayContaining(['DCO_KEY_FILE', 'DCO_PUBLIC_KEY_FILE']));
    await expect(
      renderChart([...files, '--set', 'services.smets1-adapter.secretFiles=null']),
    ).rejects.toThrow(/one DCO key pair/);
    const single = await renderChart([
      ...files,
      '--set',
      'services.smets1-adapter.secretFiles=null',
      '--set',
      'services.smets1-adapter.replicas=1',
    ]);
    expect(named(single, 'StatefulSet', `${RELEASE}-dcc-hub-smets1-adapter`)).toBeDefined();
  });
});
