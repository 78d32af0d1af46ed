import { parseEui64, type Eui64 } from '@dcc/domain';
import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { errors, type NatsConnection, type PermissionViolationError } from '@nats-io/transport-node';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithSeed, permissionViolations } from './nats-identity.js';
import { subjects, writeNatsAuthorisation, type NatsAuthorisationFiles } from '../src/index.js';

// nats-server runs the configuration the hub generates for two prepayment suppliers (and a network operator);
// every refusal below comes from the server itself.
const A = parseEui64('90-B3-D5-1F-30-01-00-00');
const B = parseEui64('90-B3-D5-1F-30-01-00-01');
const DNO = parseEui64('90-B3-D5-1F-30-02-00-00');

let dir: string;
let files: NatsAuthorisationFiles;
let server: NatsServer;
let hub: NatsConnection;
const open: NatsConnection[] = [];

async function connectAs(file: string): Promise<NatsConnection> {
  const nc = await connectWithSeed(server.url, file);
  open.push(nc);
  return nc;
}

const supplier = (id: Eui64) => connectAs(files.prepaymentSupplierSeedFiles.get(id)!);

/** Answers every request on `subject` with `answer`, as a supplier's system does. */
function answer(nc: NatsConnection, subject: string, answer: string): void {
  const sub = nc.subscribe(subject);
  void (async () => {
    for await (const m of sub) m.respond(answer);
  })();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dcc-nats-suppliers-'));
  files = writeNatsAuthorisation(dir, [DNO], [A, B]);
  server = await startNatsServer({ config: readFileSync(files.configFile, 'utf8') });
  hub = await connectAs(files.hubSeedFile);
});

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close()));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('prepayment supplier NATS accounts', () => {
  it("writes each supplier's seed readable by its owner only, and keeps it across regenerations", () => {
    for (const file of files.prepaymentSupplierSeedFiles.values()) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const before = readFileSync(files.prepaymentSupplierSeedFiles.get(A)!, 'utf8');
    const again = writeNatsAuthorisation(dir, [DNO], [A, B]);
    expect(readFileSync(again.prepaymentSupplierSeedFiles.get(A)!, 'utf8')).toBe(before);
    expect(readFileSync(again.configFile, 'utf8')).not.toContain(before.trim());
    expect(() => writeNatsAuthorisation(dir, [], [A, A])).toThrow(/prepayment supplier .* listed twice/);
  });

  it("delivers the hub's approval request to the supplier's own responder and the answer back", async () => {
    const [a, b] = [await supplier(A), await supplier(B)];
    answer(a, subjects.prepaymentApproval(A), `approved by ${A}`);
    answer(b, subjects.prepaymentApproval(B), `approved by ${B}`);
    await Promise.all([a.flush(), b.flush()]);
    expect((await hub.request(subjects.prepaymentApproval(A), 'top-up?', { timeout: 2_000 })).string()).toBe(
      `approved by ${A}`,
    );
    expect((await hub.request(subjects.prepaymentApproval(B), 'top-up?', { timeout: 2_000 })).string()).toBe(
      `approved by ${B}`,
    );
  });

  it("refuses supplier A's subscription to supplier B's approvals and to anything of the hub's", async () => {
    const a = await supplier(A);
    for (const subject of [
      subjects.prepaymentApproval(B),
      'dcc.prepayment.approval.*',
      'dcc.>',
      'dcc.meter.s2.1.x',
      subjects.userResponses(A),
      subjects.gridOfDno(DNO),
      '$JS.API.>',
      '_INBOX.>',
      '>',
    ]) {
      const closed = await a.subscribe(subject).closed;
      expect(closed).toBeInstanceOf(errors.PermissionViolationError);
      expect((closed as PermissionViolationError).operation).toBe('subscription');
      expect((closed as PermissionViolationError).subject).toBe(subject);
    }
  });

  it("refuses supplier A's publications anywhere but the answer to a request it received", async () => {
    const watched = hub.subscribe('>');
    const arrived: string[] = [];
    void (async () => {
      for await (const m of watched) arrived.push(m.subject);
    })();
    await hub.flush();
    const a = await supplier(A);
    const refused = permissionViolations(a);
    const attempts = [
      subjects.prepaymentApproval(A),
      subjects.prepaymentApproval(B),
      'dcc.meter.s2.1.x',
      // registration's handlers answer the hub's own services only (8.12.x saved logs and restores)
      subjects.registrationDeviceLog,
      subjects.registrationDeviceLogRestored,
      subjects.userResponses(A),
      subjects.grid(DNO, 'outage', 'x'),
      '$JS.API.STREAM.CREATE.X',
      '_INBOX.forged',
      '_R_.forged',
    ];
    for (const subject of attempts) a.publish(subject, 'forged');
    await a.flush();
    await waitFor('the server to refuse every publication', () => refused.length === attempts.length, 5_000);
    expect(refused.map((e) => [e.operation, e.subject])).toEqual(attempts.map((s) => ['publish', s]));
    await hub.flush();
    expect(arrived.filter((s) => attempts.includes(s))).toEqual([]);
    watched.unsubscribe();
  });

  it("does not deliver supplier B's approval requests to supplier A", async () => {
    const a = await supplier(A);
    const sub = a.subscribe(subjects.prepaymentApproval(A));
    const seen: string[] = [];
    void (async () => {
      for await (const m of sub) seen.push(m.string());
    })();
    await a.flush();
    // B's responder (the test above) answers B's request; A's subscription never sees it.
    const toB = await hub.request(subjects.prepaymentApproval(B), 'for B only', { timeout: 2_000 });
    expect(toB.string()).toBe(`approved by ${B}`);
    await hub.request(subjects.prepaymentApproval(A), 'for A', { timeout: 2_000 });
    await a.flush();
    expect(seen).toEqual(['for A']);
    sub.unsubscribe();
  });
});
