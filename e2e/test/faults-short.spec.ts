import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, PROFILES, runSuite, type ScenarioResult } from '../faults/suite.js';

// The fault suite's short profile (e2e/faults, `npm run faults -- --profile short`): every service a separate
// process, a steady load from one User whose client is its own process, one fault per scenario; counts of
// acknowledged, answered once, duplicates and lost. The full profile runs on demand (docs/reliability.md).

const results = new Map<string, ScenarioResult>();
const lines: string[] = [];

beforeAll(async () => {
  for (const r of await runSuite(PROFILES['short']!, (line) => lines.push(line))) results.set(r.scenario, r);
}, 240_000);

afterAll(() => console.log(lines.join('\n')));

function holds(scenario: string): void {
  const r = results.get(scenario);
  expect(r, `scenario ${scenario} ran`).toBeDefined();
  expect(r!.acknowledged, formatResult(r!)).toBeGreaterThan(0);
  expect(r!.lost, formatResult(r!)).toBe(0);
  expect(r!.unexplainedDuplicates, formatResult(r!)).toBe(0);
}

describe('the hub under faults (short profile)', () => {
  it('kill -9 of access control loses no acknowledged request', () => holds('kill -9 access-control'));
  it('kill -9 of the SMETS2 adapter loses nothing and answers once', () => holds('kill -9 smets2-adapter'));
  it('kill -9 of registration loses nothing and answers once', () => holds('kill -9 registration'));
  it('kill -9 and restart of nats-server loses nothing', () => holds('kill -9 nats-server and restart'));
  it('a partition of the adapter from NATS loses nothing and answers once', () =>
    holds('partition smets2-adapter from NATS (SIGSTOP)'));
  it('a client stopped, then killed, loses no response: the hub keeps what the client did not confirm', () =>
    holds('client stopped (SIGSTOP), then killed'));
});
