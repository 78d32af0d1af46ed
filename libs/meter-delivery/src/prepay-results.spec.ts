import type { Eui64 } from '@dcc/domain';
import { MeterHarness } from '@dcc/meter';
import { PaymentMode, ServiceResponse, UserRole, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { responseOf } from './srv-results.js';

const DEVICE = '00-DB-12-00-00-00-00-2A';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 2, 13, 17);
const DAY_MS = 86_400_000;

let counter = 1;
const request = (srv: string, body: ServiceRequest['body']): ServiceRequest => ({
  requestId: `${SUPPLIER}:${DEVICE}:${counter++}`,
  commandVariant: 1,
  serviceReferenceVariant: srv,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body,
});

const overTheWire = (r: ServiceResponse) => ServiceResponse.decode(ServiceResponse.encode(r).finish());

describe('prepayment reads → ServiceResponse bodies', () => {
  // A prepayment meter with payment-based debt, topped up twice over four days.
  const h = new MeterHarness(DEVICE as Eui64, 0, START);
  h.send('1.5', { adjustPence: 2_000 });
  h.send('1.6', { mode: 'prepayment', suspendDebtEmergency: true });
  h.send('2.3', { paymentDebtPence: 100, paymentDebtRecoveryPercent: 10 });
  h.send('2.2', { utrn: h.utrn(500) });
  h.clock.advance(2 * DAY_MS);
  h.send('2.2', { utrn: h.utrn(300) });
  h.clock.advance(2 * DAY_MS);
  const period = { startMs: START - DAY_MS, endMs: h.clock.ms };
  const answer = (srv: '4.13' | '4.14' | '4.4.4' | '4.4.5', body: ServiceRequest['body']) =>
    overTheWire(responseOf(request(srv, body), h.send(srv, srv === '4.13' ? undefined : period), h.clock.ms))
      .body;

  it('4.13: the configuration in force with the payment mode and 1.6 and 2.3 settings', () => {
    expect(answer('4.13', { $case: 'readPrepaymentConfiguration', value: {} })).toMatchObject({
      $case: 'prepaymentConfiguration',
      value: {
        paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
        suspendDebtDisabled: false,
        suspendDebtEmergency: true,
        paymentDebtRecoveryPercent: 10,
        configuration: { emergencyCreditLimitPence: '1000', disablementThresholdPence: '0' },
        meterTimeMs: h.clock.ms,
      },
    });
  });

  it('4.4.5 and 4.4.4: each top-up’s credit, and the debt it paid with the register after it', () => {
    expect(answer('4.4.5', { $case: 'retrieveBillingDataLogPrepaymentCredits', value: { period } })).toEqual({
      $case: 'prepaymentCreditsLog',
      value: {
        entries: [
          { atMs: START, creditPence: '500' },
          { atMs: START + 2 * DAY_MS, creditPence: '300' },
        ],
      },
    });
    expect(answer('4.4.4', { $case: 'retrieveBillingDataLogDebtPayments', value: { period } })).toEqual({
      $case: 'debtPaymentsLog',
      value: {
        entries: [
          { atMs: START, recoveredPence: '50', paymentDebtAfterPence: '50' },
          { atMs: START + 2 * DAY_MS, recoveredPence: '30', paymentDebtAfterPence: '20' },
        ],
      },
    });
  });

  it('4.14: one entry per UTC midnight in prepayment mode, and the URP credentials reported back', () => {
    const body = answer('4.14', {
      $case: 'readPrepaymentDailyReadLog',
      value: { period, kaPublicSecurityCredentials: 'MFkwEwYHKoZIzj0CAQ' },
    });
    expect(body?.$case).toBe('prepaymentDailyReadLog');
    if (body?.$case !== 'prepaymentDailyReadLog') return;
    expect(body.value.kaPublicSecurityCredentials).toBe('MFkwEwYHKoZIzj0CAQ');
    const midnights = [1, 2, 3, 4].map((d) => Date.UTC(2026, 2, 2 + d));
    expect(body.value.entries.map((e) => e.atMs)).toEqual(midnights);
    // The balance falls between midnights (charges) and rises with the second top-up; debt follows the top-ups.
    const balances = body.value.entries.map((e) => Number(e.meterBalancePence));
    expect(balances[1]!).toBeLessThan(balances[0]!);
    expect(body.value.entries.map((e) => e.paymentDebtPence)).toEqual(['50', '50', '20', '20']);
    expect(body.value.entries.every((e) => e.timeDebt1Pence === '0')).toBe(true);
  });
});
