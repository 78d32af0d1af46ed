import { mpanCheckDigit } from '@dcc/domain';
import { loadFeed, registrationClient } from '../test/registration-helpers.js';
import { driveLoad } from './load.js';
import { startProcessHub, type ProcessHub } from './process-hub.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { Tally, type Counts } from './tally.js';
import { UserProcess } from './user-process.js';

export interface Profile {
  name: string;
  scenarios: string[];
  rate: number;
  /** Load per scenario; the fault lands at `faultAtMs`. */
  loadMs: number;
  faultAtMs: number;
  pauseMs: number;
  /** How long acknowledged requests may take to be answered after the load ends. */
  settleMs: number;
  fleetSize: number;
}

export const PROFILES: Record<string, Profile> = {
  short: {
    name: 'short',
    scenarios: ['access-control', 'adapter', 'registration', 'nats', 'client', 'partition-adapter'],
    rate: 40,
    loadMs: 4_000,
    faultAtMs: 1_500,
    pauseMs: 4_500,
    settleMs: 12_000,
    fleetSize: 200,
  },
  full: {
    name: 'full',
    scenarios: Object.keys(SCENARIOS),
    rate: 200,
    loadMs: 20_000,
    faultAtMs: 6_000,
    pauseMs: 8_000,
    settleMs: 60_000,
    fleetSize: 2_000,
  },
};

export interface ScenarioResult extends Counts {
  scenario: string;
  redeliveryExplained: boolean;
  passed: boolean;
  refusals: Record<string, number>;
}

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';

/**
 * Runs each scenario of the profile on one hub of separate processes: a steady load of reads from one User,
 * the fault injected midway, then waits for every acknowledged request to be answered (or the settle time to
 * pass) and counts. A scenario passes with 0 lost and 0 unexplained duplicates.
 */
export async function runSuite(
  profile: Profile,
  report: (line: string) => void = () => undefined,
): Promise<ScenarioResult[]> {
  const hub = await startProcessHub({ fleetSize: profile.fleetSize });
  const owner = new Map<string, Tally>(); // RequestID → the scenario that sent it
  let current = new Tally();
  const deliver = (r: Parameters<Tally['deliver']>[0]) => (owner.get(r.requestId) ?? current).deliver(r);
  let user = new UserProcess(hub.address, SUPPLIER, deliver);
  const results: ScenarioResult[] = [];
  try {
    const devices = await registerFleet(hub, profile.fleetSize);
    user.start();
    let firstCounter = BigInt(Date.now()) * 1_000n;
    for (const key of profile.scenarios) {
      const scenario = SCENARIOS[key];
      if (!scenario) throw new Error(`unknown scenario ${key}; one of ${Object.keys(SCENARIOS).join(', ')}`);
      const tally = (current = new Tally());
      const load = driveLoad(hub.address, tally, {
        userId: SUPPLIER,
        devices,
        rate: profile.rate,
        durationMs: profile.loadMs,
        firstCounter,
      });
      firstCounter += 10_000_000n;
      await new Promise((r) => setTimeout(r, profile.faultAtMs));
      await scenario.inject({
        hub,
        pauseMs: profile.pauseMs,
        user: () => user,
        replaceUser: () => {
          user = new UserProcess(hub.address, SUPPLIER, deliver);
          user.start();
        },
      });
      await load;
      for (const id of tally.acknowledged) owner.set(id, tally);
      const deadline = Date.now() + profile.settleMs;
      while (tally.unanswered() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      await new Promise((r) => setTimeout(r, 1_500)); // late second deliveries
      const result = resultOf(scenario, tally);
      results.push(result);
      report(formatResult(result));
    }
  } finally {
    await user.stop();
    if (process.env['FAULTS_KEEP_LOGS']) {
      for (const s of Object.values(hub.services)) report(`--- ${s.name}\n${s.output()}`);
    }
    await hub.stop();
  }
  return results;
}

function resultOf(scenario: Scenario, tally: Tally): ScenarioResult {
  const counts = tally.counts(scenario.redeliveryExplained);
  return {
    scenario: scenario.name,
    redeliveryExplained: scenario.redeliveryExplained,
    ...counts,
    refusals: Object.fromEntries(tally.refused),
    passed: counts.lost === 0 && counts.unexplainedDuplicates === 0 && counts.acknowledged > 0,
  };
}

export function formatResult(r: ScenarioResult): string {
  const refusals = Object.entries(r.refusals)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  return (
    `${r.passed ? 'PASS' : 'FAIL'} ${r.scenario}: acknowledged ${r.acknowledged}, answered once ${r.answeredOnce}, ` +
    `duplicates ${r.duplicates} (unexplained ${r.unexplainedDuplicates}), lost ${r.lost}; ` +
    `answered without I99 ${r.answeredUnacknowledged}; refused ${r.refused}${refusals ? ` (${refusals})` : ''}`
  );
}

/** Registers the simulated fleet's first meters to the development supplier, so registration checks pass. */
export async function registerFleet(hub: ProcessHub, size: number): Promise<string[]> {
  const devices: string[] = [];
  const lines = ['# fault suite estate'];
  for (let i = 0; i < size; i++) {
    const device = `00-DB-12-00-00-00-${hex(i >> 8)}-${hex(i & 255)}`;
    const first12 = String(190_000_000_000 + i);
    devices.push(device);
    lines.push(
      JSON.stringify({
        mpxn: first12 + String(mpanCheckDigit(first12)),
        fuel: 'electricity',
        meterKind: 'SMETS2',
        cspRegion: 'Central',
        device: { id: device, status: 'Commissioned' },
        supplier: { party: SUPPLIER, from: '2024-01-01' },
        networkOperator: { party: DNO, from: '2020-01-01' },
      }),
    );
  }
  const client = await registrationClient(hub.services.registration.port);
  const outcome = await loadFeed(client, lines, { feedId: 'faults' });
  client.close();
  if (outcome.error || outcome.report?.rejected) {
    throw new Error(
      `fault suite estate not loaded: ${outcome.error?.message ?? JSON.stringify(outcome.report)}`,
    );
  }
  return devices;
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
