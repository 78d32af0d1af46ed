// The Prometheus endpoint after real traffic: a hub with both delivery paths, SMETS2 and SMETS1 reads (a
// half-hourly profile twice, so the cache hits), then one scrape of /metrics: every series the dashboard uses
// exists with a plausible value. Also the plaintext health port the Kubernetes probes use.
import { GrpcStatus } from '@dcc/domain';
import { LIVENESS_CHECK } from '@dcc/service-kit';
import { estatePremises } from '@dcc/registry';
import { healthCheck, listServices, waitFor } from '@dcc/testkit';
import type { ServiceRequest, ServiceResponse } from '@dcc/proto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  parsePrometheusText,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
  type Sample,
} from '../src/index.js';
import { call, DATA_PROVIDER, loadFeed, registrationClient } from './registration-helpers.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
/** 100 meter points of the mixed estate are 60 premises (two in three have gas too). */
const PREMISES = 60;
const DAY_MS = 86_400_000;

let hub: LocalHub;
let client: HubClient;
let counter = 1;
/** The scrape after traffic, for the dashboard's check. */
let scraped: Sample[] = [];
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 100,
    mix: 'mixed',
    smets1: true,
    env: { METRICS_PORT: '0', HEALTH_PORT: '0' },
  });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
}, 60_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
});

/** Commissioned premises the development supplier holds (n % 5 in 0, 2, 4), SMETS1 or SMETS2. */
function meters(smets1: boolean): string[] {
  const found: string[] = [];
  for (let n = 0; n < PREMISES; n++) {
    const p = estatePremises(n, PREMISES);
    if (p.smets1 === smets1 && p.status === 'Commissioned' && [0, 2, 4].includes(n % 5)) found.push(p.esme);
  }
  return found;
}

async function answered(request: ServiceRequest): Promise<ServiceResponse> {
  expect((await client.submit(request)).responseCode).toBe('I99');
  return waitFor(`the response to ${request.requestId}`, () => received.get(request.requestId), 20_000);
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${hub.accessControl.metricsPort}/metrics`);
  expect(response.status).toBe(200);
  return parsePrometheusText(await response.text());
}

const sum = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);

describe('the Prometheus endpoint', () => {
  it('serves every series the dashboard uses, with plausible values, after SMETS2 and SMETS1 traffic', async () => {
    const smets2 = meters(false).slice(0, 3);
    const smets1 = meters(true).slice(0, 2);
    expect(smets2.length).toBe(3);
    expect(smets1.length).toBe(2);
    for (const device of [...smets2, ...smets1]) {
      expect((await answered(readImportRegisters(SUPPLIER, device, counter++))).responseCode).toBe('I0');
    }
    // A half-hourly profile of yesterday, twice: the second comes from the SMETS1 cache.
    const today = Date.now() - (Date.now() % DAY_MS);
    for (let i = 0; i < 2; i++) {
      const profile: ServiceRequest = {
        requestId: `${SUPPLIER}:${smets1[0]}:${counter++}`,
        commandVariant: 1,
        serviceReferenceVariant: '4.8.1',
        userRole: readImportRegisters(SUPPLIER, smets1[0]!, 0).userRole,
        body: {
          $case: 'readActiveImportProfileData',
          value: { period: { startMs: today - DAY_MS, endMs: today } },
        },
      };
      expect((await answered(profile)).responseCode).toBe('I0');
    }
    // A refusal: an unknown device (E19) counts under its code.
    await expect(
      client.submit(readImportRegisters(SUPPLIER, '00-DB-12-7F-00-00-00-01', counter++)),
    ).rejects.toThrow();

    // Registration: one feed with a line it rejects, and an operators' RPC a data provider may not call.
    const feed = await loadFeed(await registrationClient(hub.registration!.grpcPort), [
      '{"mpxn":"not a meter point"}',
    ]);
    expect(feed.report).toMatchObject({ lines: 1, rejected: 1 });
    const provider = await registrationClient(hub.registration!.grpcPort, DATA_PROVIDER);
    await expect(call(provider, 'readInventory', {})).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
    provider.close();

    const samples = await scrape();
    scraped = samples;
    const submitted = { dcc_srv: '4.1.1', dcc_user: SUPPLIER };
    expect(sum(samples, 'dcc_requests_submitted_total', { ...submitted, dcc_outcome: 'I99' })).toBe(5);
    expect(sum(samples, 'dcc_requests_submitted_total', { dcc_srv: '4.1.1', dcc_outcome: 'E19' })).toBe(1);
    expect(sum(samples, 'dcc_requests_accept_duration_count')).toBeGreaterThanOrEqual(8);
    // Every answer within the 30 s TRT on an idle hub; the response time is recorded per SRV.
    expect(sum(samples, 'dcc_trt_responses_total', { dcc_srv: '4.1.1', dcc_within_trt: 'true' })).toBe(5);
    expect(sum(samples, 'dcc_trt_responses_total', { dcc_within_trt: 'false' })).toBe(0);
    expect(sum(samples, 'dcc_meter_response_time_count', { dcc_srv: '4.8.1' })).toBe(2);
    expect(sum(samples, 'dcc_meter_commands_total', { dcc_srv: '4.1.1', dcc_response_code: 'I0' })).toBe(5);
    // Actors: each device answered was activated once on its path; nothing passivated on an idle timeout of 2 min.
    expect(sum(samples, 'dcc_meter_actors_activations_total', { dcc_meter_path: 's2' })).toBe(3);
    expect(sum(samples, 'dcc_meter_actors_activations_total', { dcc_meter_path: 's1' })).toBe(2);
    expect(sum(samples, 'dcc_meter_actors_active', { dcc_meter_path: 's2' })).toBe(3);
    expect(sum(samples, 'dcc_meter_actors_passivations_total')).toBe(0);
    // Queues: every region and cohort reported, all drained by now.
    for (const region of ['NORTH', 'CENTRAL', 'SOUTH']) {
      const series = samples.find(
        (s) => s.name === 'dcc_csp_queue_depth' && s.labels.dcc_csp_region === region,
      );
      expect(series?.value).toBe(0);
      expect(sum(samples, 'dcc_csp_in_service', { dcc_csp_region: region })).toBe(1);
    }
    for (const cohort of ['IOC', 'MOC', 'FOC']) {
      const series = samples.find(
        (s) => s.name === 'dcc_smets1_dco_queue_depth' && s.labels.dcc_smets1_cohort === cohort,
      );
      expect(series?.value).toBe(0);
    }
    // Cache: one miss then one hit for the profile.
    expect(sum(samples, 'dcc_smets1_hh_cache_lookups_total', { result: 'hit' })).toBe(1);
    expect(sum(samples, 'dcc_smets1_hh_cache_lookups_total', { result: 'miss' })).toBe(1);
    // Consumer lag: both adapters' METER_MAIL consumers and the alert router, nothing left behind.
    const lag = samples.filter((s) => s.name === 'dcc_jetstream_consumer_pending');
    expect(lag.map((s) => s.labels.dcc_consumer)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^meter-mail-s2-actors-/),
        expect.stringMatching(/^meter-mail-s1-actors-/),
        'alert-router',
        `responses-${SUPPLIER}`,
      ]),
    );
    expect(lag.every((s) => s.value === 0)).toBe(true);
    // Registration: the estate's 100 lines and the rejected one; its feeds and refusals by RPC and outcome;
    // access control's registration checks over NATS: the seven reads and the unknown device (E19).
    expect(sum(samples, 'dcc_registration_feed_lines_total', { dcc_feed_line_outcome: 'applied' })).toBe(100);
    expect(sum(samples, 'dcc_registration_feed_lines_total', { dcc_feed_line_outcome: 'rejected' })).toBe(1);
    expect(sum(samples, 'dcc_registration_requests_total', { dcc_rpc: 'loadFeed', dcc_outcome: 'OK' })).toBe(
      2,
    );
    expect(
      sum(samples, 'dcc_registration_requests_total', {
        dcc_rpc: 'readInventory',
        dcc_outcome: 'PERMISSION_DENIED',
      }),
    ).toBe(1);
    expect(
      sum(samples, 'dcc_registration_requests_total', {
        dcc_rpc: 'dcc.registration.authorise',
        dcc_outcome: 'OK',
      }),
    ).toBe(8);
  });

  it('has a Grafana dashboard whose every query uses series and labels the hub exports', () => {
    expect(scraped.length).toBeGreaterThan(0);
    const dashboard = JSON.parse(
      readFileSync(new URL('../../deploy/grafana/dcc-hub-dashboard.json', import.meta.url), 'utf8'),
    ) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    const labelsOf = new Map<string, Set<string>>();
    for (const s of scraped) {
      const labels = labelsOf.get(s.name) ?? new Set<string>();
      for (const l of Object.keys(s.labels)) labels.add(l);
      labelsOf.set(s.name, labels);
    }
    const problems: string[] = [];
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        // Series are the names outside label lists (`by (…)`, `{…}`), which name labels.
        const outside = expr.replace(/by \([^)]*\)|\{[^}]*\}/g, '');
        const series = [...outside.matchAll(/\bdcc_[a-z0-9_]+/g)].map((m) => m[0]);
        if (series.length === 0) problems.push(`${panel.title}: no hub series in ${expr}`);
        const known = new Set(series.flatMap((name) => [...(labelsOf.get(name) ?? [])]));
        for (const name of series)
          if (!labelsOf.has(name)) problems.push(`${panel.title}: ${name} not exported`);
        const used = [...expr.matchAll(/by \(([^)]*)\)|\{([^}]*)\}/g)].flatMap((m) =>
          (m[1] ?? m[2]!).split(',').map((part) => part.trim().split(/[!=~]/)[0]!),
        );
        for (const label of used) {
          if (label && !known.has(label))
            problems.push(`${panel.title}: label ${label} not on ${series.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers health on the plaintext health port: liveness apart from readiness', async () => {
    const address = `127.0.0.1:${hub.accessControl.healthPort}`;
    expect(await healthCheck(address, '')).toBe('SERVING');
    expect(await healthCheck(address, 'dcc.v1.ServiceRequestsService')).toBe('SERVING');
    expect(await healthCheck(address, LIVENESS_CHECK)).toBe('SERVING');
    // Nothing but health is served there.
    const services = await listServices(address).catch((e: Error) => e);
    expect(services).toBeInstanceOf(Error);
  });
});
