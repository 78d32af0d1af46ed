// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { TopUpStage, type TopUpRecord } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESTATE_PARTIES, PrepaymentHub, STRANGER } from '../src/index.js';

// The prepayment service as its own OS process, over real NATS and gRPC: payment channels (mutual TLS) top up
// meters of the estate through it; it asks the supplier (a simulated supplier's system answering on NATS),
// issues the registered supplier's UTRNs and sends them with SRV 2.2 through access control; the meter's
// balance (4.18) and the outcome the channel reads (GetTopUp) show each payment credited once, including after
// the service is killed between issuing a UTRN and dispatching it. The tests run in order: the first one kills
// and restarts the service the others then use.

const SUPPLIER = ESTATE_PARTIES.supplier;
const OTHER_SUPPLIER = ESTATE_PARTIES.otherSuppliers[0]!;

let p: PrepaymentHub;

beforeAll(async () => {
  // The uniform estate with suppliers in turn: even meters the development supplier's, odd ones another's.
  // With the hub's NATS authorisation: the supplier's system answers approvals as its own NATS user.
  p = await PrepaymentHub.start({
    meters: 6,
    suppliers: [SUPPLIER, OTHER_SUPPLIER],
    natsAuthorisation: true,
  });
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

/** The meter's answer to the 2.2 the service sent for this top-up. */
const credited = (record: TopUpRecord) =>
  waitFor(`the meter's answer to ${record.requestId}`, () => p.received.get(record.requestId));

describe('prepayment service', () => {
  it('killed between issuing a UTRN and dispatching it, after restart dispatches the same UTRN: credited once', async () => {
    const meter = p.device(0);
    const before = await p.balancePence(meter);
    // The test hook holds every top-up between "issued" (recorded) and dispatch.
    let service = await p.startService({ PREPAYMENT_TEST_PAUSE_AFTER_ISSUE_MS: '600000' });
    const pending = p.topUp(p.customer(0), 1_500, 'pay-kill').catch((error: Error) => error);
    const issued = await p.reported('pay-kill', TopUpStage.TOP_UP_STAGE_ISSUED);
    expect(issued).toMatchObject({ supplierId: SUPPLIER, deviceId: meter, amountPence: 1_500 });
    expect(issued.utrn).toMatch(/^\d{20}$/);
    service.child.kill('SIGKILL');
    expect(await service.exited).toBeNull();
    expect(await pending).toBeInstanceOf(Error); // the channel's call died with the process
    expect(p.received.has(issued.requestId)).toBe(false); // nothing reached the meter

    service = await p.startService();
    const settled = await p.reported('pay-kill');
    expect(settled).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_CREDITED,
      utrn: issued.utrn,
      requestId: issued.requestId,
      creditedPence: '1500',
    });
    expect(await credited(settled)).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'topUp', value: { creditedPence: '1500' } },
    });
    // The channel's retry answers the same UTRN and sends nothing again.
    expect(await p.topUp(p.customer(0), 1_500, 'pay-kill')).toEqual(settled);
    expect(await p.balancePence(meter)).toBe(before + 1_500);
  }, 120_000);

  it('tops up a meter of the registered supplier: the UTRN to the channel, SRV 2.2 credits the meter once', async () => {
    const meter = p.device(2);
    const before = await p.balancePence(meter);
    // The channel's retry racing its first call: one payment, one UTRN, one 2.2.
    const [record, raced] = await Promise.all([
      p.topUp(p.customer(2), 2_000, 'pay-2'),
      p.topUp(p.customer(2), 2_000, 'pay-2'),
    ]);
    expect(raced.utrn).toBe(record.utrn);
    expect(record).toMatchObject({ supplierId: SUPPLIER, deviceId: meter });
    expect([TopUpStage.TOP_UP_STAGE_DISPATCHED, TopUpStage.TOP_UP_STAGE_CREDITED]).toContain(record.stage);
    const settled = await p.reported('pay-2');
    expect(settled).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_CREDITED, utrn: record.utrn });
    expect(await credited(record)).toMatchObject({ responseCode: 'I0' });
    expect(await p.topUp(p.customer(2), 2_000, 'pay-2')).toEqual(settled);
    // The supplier was asked once, for this customer and meter.
    expect(p.suppliers.get(SUPPLIER)!.asked.filter((a) => a.idempotencyKey === 'pay-2')).toEqual([
      expect.objectContaining({ customerId: p.customer(2), deviceId: meter, amountPence: 2_000 }),
    ]);
    // A second payment takes the supplier's next counter: a new UTRN, credited too.
    const second = await p.topUp(p.customer(2), 300, 'pay-2b');
    expect(second.utrn).not.toBe(record.utrn);
    expect(await p.reported('pay-2b')).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_CREDITED });
    expect(await p.balancePence(meter)).toBe(before + 2_300);
  }, 60_000);

  it("refuses, before issuing, what the supplier's own checks refuse: a closed account, a meter in credit mode", async () => {
    const supplier = p.suppliers.get(SUPPLIER)!;
    supplier.closeAccount('ACC-CLOSED');
    const closed = await p.topUp(`ACC-CLOSED:${p.points[4]!.mpxn}`, 500, 'pay-closed');
    expect(closed).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
    expect(closed.outcome).toContain('not a customer');
    supplier.setCreditMode(p.device(4));
    const credit = await p.topUp(p.customer(4), 500, 'pay-credit-mode');
    expect(credit).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
    expect(credit.outcome).toContain('credit mode');
  });

  it('refuses a customer id whose MPAN check digit is wrong, before recording or issuing anything', async () => {
    const mpan = p.points[2]!.mpxn;
    const wrong = `${mpan.slice(0, 12)}${(Number(mpan[12]) + 1) % 10}`;
    await expect(p.topUp(`ACC-2:${wrong}`, 500, 'pay-bad')).rejects.toMatchObject({
      status: 3,
      message: expect.stringContaining('check digit'),
    });
    await expect(p.getTopUp('pay-bad')).rejects.toMatchObject({ status: 5 });
    await expect(p.topUp('no-meter-point', 500, 'pay-bad')).rejects.toMatchObject({ status: 3 });
  });

  it('refuses, before issuing, a meter point whose registered supplier does not issue through the service', async () => {
    const record = await p.topUp(p.customer(1), 500, 'pay-other');
    expect(record).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
    expect(record.outcome).toContain(OTHER_SUPPLIER);
  });

  it('refuses the same idempotency key for another payment', async () => {
    await expect(p.topUp(p.customer(2), 999, 'pay-2')).rejects.toMatchObject({ status: 6 });
  });

  it('refuses a certificate that is not a configured payment channel', async () => {
    await expect(p.topUp(p.customer(2), 500, 'pay-stranger', STRANGER)).rejects.toMatchObject({ status: 7 });
  });
});
