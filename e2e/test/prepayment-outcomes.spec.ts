// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { subjects } from '@dcc/bus';
import { kaPublicKeyText, parseEui64 } from '@dcc/domain';
import {
  DeviceEdgeServiceClient,
  KeypadDevice,
  Smets2OperationsServiceClient,
  TopUpStage,
  UserRole,
  type KeyInUtrnResponse,
} from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosBody } from '../src/cos-request.js';
import { estateLines, loadEstateFeed, PrepaymentHub } from '../src/index.js';

// What the payment channel learns of a top-up (GetTopUp), over real NATS and gRPC with the prepayment service
// as its own process: the meter's answer to the 2.2 on the supplier's responses, and a UTRN keyed in at the
// premises, settle the payment in the ledger as CREDITED, REJECTED (with the meter's alert) or
// PENDING_MANUAL_ENTRY; each case also reads the meter's balance. The last test restarts the service.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const GAINING = '90-B3-D5-1F-30-04-00-00'; // takes a meter over by change of supplier (6.23)
const signingKey = (keyId: string) => ({
  keyId,
  publicKeyPem: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString(),
});
const USERS = [
  { id: SUPPLIER, roles: ['IS', 'GS', 'ES'], signingKeys: [signingKey('3')] },
  { id: '90-B3-D5-1F-30-02-00-00', roles: ['ED', 'GT'] },
  { id: GAINING, roles: ['IS'], signingKeys: [signingKey('9')] },
];
const SETTINGS = {
  PREPAYMENT_APPROVAL_TIMEOUT_MS: '300',
  PREPAYMENT_APPROVAL_GIVE_UP_MS: '2500',
  PREPAYMENT_MANUAL_ENTRY_AFTER_MS: '1000',
};
const POUNDS_250 = 25_000; // the meter's maximum credit per top-up; its maximum balance is £1,000

let p: PrepaymentHub;
let edge: DeviceEdgeServiceClient;
let operations: Smets2OperationsServiceClient;

beforeAll(async () => {
  p = await PrepaymentHub.start({
    meters: 12,
    suppliers: [SUPPLIER],
    hub: { env: { USERS: JSON.stringify(USERS) } },
  });
  p.client.responses(GAINING, (r) => p.received.set(r.requestId, r));
  const address = `127.0.0.1:${p.hub.adapter.grpcPort}`;
  edge = new DeviceEdgeServiceClient(address, credentials.createInsecure());
  operations = new Smets2OperationsServiceClient(address, credentials.createInsecure());
  await p.startService(SETTINGS);
}, 90_000);

afterAll(async () => {
  edge?.close();
  operations?.close();
  await p?.stop();
});

const call = <T>(run: (cb: (error: ServiceError | null, reply?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, reply) => (error ? reject(error) : resolve(reply!))));
const keyIn = (deviceId: string, utrn: string) =>
  call<KeyInUtrnResponse>((cb) =>
    edge.keyInUtrn({ deviceId, utrn, via: KeypadDevice.KEYPAD_DEVICE_PPMID }, cb),
  );
const regionInService = (region: string, inService: boolean) =>
  call((cb) => operations.setRegionInService({ region, inService }, cb));
/** Registration's record of point i, changed by `change` (an installer's or a change of supplier's feed line). */
async function amendPoint(i: number, change: (row: Record<string, unknown>) => void): Promise<void> {
  const row = JSON.parse(estateLines(12, 'uniform', { suppliers: [SUPPLIER] })[i]!) as Record<
    string,
    unknown
  >;
  change(row);
  await loadEstateFeed(
    `127.0.0.1:${p.hub.registration!.grpcPort}`,
    [JSON.stringify(row)],
    p.tls.credentials(p.tls.env.REGISTRATION_ADMIN_IDS!),
  );
}

describe('the outcome a payment channel learns', () => {
  it('WAN down: PENDING_MANUAL_ENTRY, the customer keys it in, the late 2.2 is a duplicate: CREDITED once', async () => {
    const meter = p.device(6); // meter 6 is in CSP region NORTH
    const before = await p.balancePence(meter);
    await regionInService('NORTH', false);
    try {
      const record = await p.topUp(p.customer(6), 800, 'pay-wan');
      expect(record.stage).toBe(TopUpStage.TOP_UP_STAGE_DISPATCHED); // accepted by the hub, held for the region
      const pending = await p.reported('pay-wan', TopUpStage.TOP_UP_STAGE_PENDING_MANUAL_ENTRY);
      expect(pending.utrn).toBe(record.utrn);
      await keyIn(meter, record.utrn);
    } finally {
      await regionInService('NORTH', true);
    }
    const settled = await p.reported('pay-wan');
    expect(settled).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_CREDITED,
      alertCode: '810E',
      outcomeCode: 'UTRN_DUPLICATE',
      creditedPence: '800',
    });
    expect(p.received.get(settled.requestId)?.deviceOutcome?.rejectionReason).toBe('UTRN_DUPLICATE');
    // Replay: keyed in once more, and the channel's resend of the payment: nothing more is credited.
    await keyIn(meter, settled.utrn);
    expect(await p.topUp(p.customer(6), 800, 'pay-wan')).toEqual(settled);
    expect(await p.balancePence(meter)).toBe(before + 800);
    expect(await p.getTopUp('pay-wan')).toEqual(settled);
  }, 60_000);

  it('a top-up over the maximum meter balance: REJECTED with 0x8F47, the balance keeps what fitted', async () => {
    const meter = p.device(5);
    let balance = await p.balancePence(meter);
    let n = 0;
    while (balance + POUNDS_250 <= 100_000) {
      expect(await p.topUp(p.customer(5), POUNDS_250, `pay-max-${n}`)).toMatchObject({
        utrn: expect.any(String),
      });
      expect(await p.reported(`pay-max-${n++}`)).toMatchObject({
        stage: TopUpStage.TOP_UP_STAGE_CREDITED,
        creditedPence: String(POUNDS_250),
      });
      balance += POUNDS_250;
    }
    await p.topUp(p.customer(5), POUNDS_250, 'pay-max-over');
    expect(await p.reported('pay-max-over')).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      alertCode: '8F47',
      outcomeCode: 'CREDIT_EXCEEDS_MAX_METER_BALANCE',
    });
    expect(await p.balancePence(meter)).toBe(balance);
  }, 90_000);

  it("a UTRN the meter cannot authenticate (made with another device's key): REJECTED with 0x8F63, nothing credited", async () => {
    // The installer registered meter 3's KA key for meter 1: the UTRN is made with it and meter 1 refuses it.
    const wrongKey = kaPublicKeyText(p.hub.prepayment.devices.keyPair(p.device(3)).publicKey);
    await amendPoint(1, (row) => ((row.device as Record<string, unknown>).kaPublicKey = wrongKey));
    const [before, otherBefore] = [await p.balancePence(p.device(1)), await p.balancePence(p.device(3))];
    const record = await p.topUp(p.customer(1), 600, 'pay-wrong-device');
    expect(await p.reported('pay-wrong-device')).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      utrn: record.utrn,
      alertCode: '8F63',
      outcomeCode: 'UTRN_NOT_AUTHENTIC',
    });
    // Keyed in on the meter whose key it was made with, it is not for that device either.
    await keyIn(p.device(3), record.utrn);
    expect(await p.balancePence(p.device(1))).toBe(before);
    expect(await p.balancePence(p.device(3))).toBe(otherBefore);
  }, 60_000);

  it('a supplier that does not answer: UNAVAILABLE and RECEIVED, then REFUSED once the service gives up', async () => {
    const supplier = p.suppliers.get(SUPPLIER)!;
    await supplier.goSilent();
    try {
      await expect(p.topUp(p.customer(9), 500, 'pay-silent')).rejects.toMatchObject({ status: 14 });
      expect((await p.getTopUp('pay-silent')).stage).toBe(TopUpStage.TOP_UP_STAGE_RECEIVED);
      const refused = await p.reported('pay-silent');
      expect(refused).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
      expect(refused.outcome).toContain('did not answer');
    } finally {
      supplier.listen();
    }
  }, 30_000);

  it('a supplier answering bytes that are no approval: REFUSED before any UTRN is issued', async () => {
    const supplier = p.suppliers.get(SUPPLIER)!;
    await supplier.goSilent();
    const impostor = p.nc.subscribe(subjects.prepaymentApproval(parseEui64(SUPPLIER)));
    void (async () => {
      for await (const m of impostor) m.respond(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    })();
    try {
      const garbled = await p.topUp(p.customer(8), 500, 'pay-garbled');
      expect(garbled).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
      expect(garbled.outcome).toContain('answered an error');
    } finally {
      impostor.unsubscribe();
      supplier.listen();
    }
  }, 30_000);

  it("after a change of supplier the old supplier's UTRN is refused: by the hub (E4), and keyed in, by the meter", async () => {
    const meter = p.device(10);
    const before = await p.balancePence(meter);
    // Every top-up is held 4 s between issue and dispatch: the change of supplier happens in between.
    p.service!.child.kill('SIGKILL');
    await p.service!.exited;
    await p.startService({ ...SETTINGS, PREPAYMENT_TEST_PAUSE_AFTER_ISSUE_MS: '4000' });
    const paid = p.topUp(p.customer(10), 700, 'pay-cos');
    const issued = await p.reported('pay-cos', TopUpStage.TOP_UP_STAGE_ISSUED);
    expect(issued.supplierId).toBe(SUPPLIER);
    await amendPoint(
      10,
      (row) => (row.supplier = { party: GAINING, from: Math.floor(Date.now() / 1000) * 1000 }),
    );
    const cos = {
      requestId: `${GAINING}:${meter}:${BigInt(Date.now()) * 1_000_000n}`,
      commandVariant: 1,
      serviceReferenceVariant: '6.23',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: await cosBody(p.hub.prepayment, {
        supplierId: GAINING,
        signingKeyPem: USERS[2]!.signingKeys![0]!.publicKeyPem,
        mpxn: (JSON.parse(estateLines(12, 'uniform', { suppliers: [SUPPLIER] })[10]!) as { mpxn: string })
          .mpxn,
      }),
    };
    expect((await p.client.submit(cos)).responseCode).toBe('I99');
    expect(await waitFor('the 6.23 answer', () => p.received.get(cos.requestId))).toMatchObject({
      responseCode: 'I0',
    });

    expect(await paid).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REJECTED, outcomeCode: 'E4' });
    expect(await p.getTopUp('pay-cos')).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      utrn: issued.utrn,
    });
    // The customer keys the old supplier's UTRN in: the meter now trusts the gaining supplier's key only.
    // The balance read runs after the keypad entry on the meter's mail.
    await keyIn(meter, issued.utrn);
    expect(await p.balancePence(meter, GAINING)).toBe(before);
  }, 60_000);
});
