import { DeviceOutcomeKind, ServiceResponse, TopUpStage, type TopUpRecord } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { receivedRecord } from './ledger.js';
import { meterOutcome, settle } from './meter-outcome.js';

const dispatched: TopUpRecord = {
  ...receivedRecord({ idempotencyKey: 'k', customerId: 'A:1000000000003', amountPence: 700 }),
  stage: TopUpStage.TOP_UP_STAGE_DISPATCHED,
  utrn: '7'.repeat(20),
  requestId: 'S:D:1',
};

const answer = (overrides: Parameters<typeof ServiceResponse.fromPartial>[0]): ServiceResponse =>
  ServiceResponse.fromPartial({
    requestId: 'S:D:1',
    responseId: 'D:S:1',
    responseCode: '',
    serviceReferenceVariant: '2.2',
    responseDateTimeMs: 0,
    detail: '',
    statusCode: 9,
    alerts: [],
    ...overrides,
  });

const rejected = (reason: string, code: string) =>
  answer({
    detail: `refused: ${reason}`,
    deviceOutcome: {
      kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED,
      rejectionReason: reason,
      meterTimeMs: 0,
    },
    alerts: [{ code, atMs: 1, requestId: '' }],
  });

describe("the meter's outcome of a top-up", () => {
  it('a receipt is CREDITED with what the meter credited and its balance', () => {
    const outcome = meterOutcome(
      answer({
        responseCode: 'I0',
        statusCode: 0,
        body: {
          $case: 'topUp',
          value: {
            creditedPence: '700',
            valueClass: 1,
            counter: '4294967296',
            meterBalancePence: '1200',
            supply: 0,
          },
        },
      }),
    );
    expect(settle(dispatched, outcome, false, 5)).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_CREDITED,
      creditedPence: '700',
      meterBalancePence: '1200',
      settledAtMs: 5,
    });
  });

  it.each([
    ['UTRN_NOT_AUTHENTIC', '8F63'],
    ['UTRN_EXCEEDS_MAX_CREDIT', '8F5B'],
    ['CREDIT_EXCEEDS_MAX_METER_BALANCE', '8F47'],
  ])('a refusal %s is REJECTED with the alert %s', (reason, code) => {
    expect(settle(dispatched, meterOutcome(rejected(reason, code)), false)).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      outcomeCode: reason,
      alertCode: code,
    });
  });

  it('a duplicate is CREDITED when the keypad credited since issue, else REJECTED (overtaken)', () => {
    const duplicate = meterOutcome(rejected('UTRN_DUPLICATE', '8F51'));
    expect(duplicate.kind).toBe('duplicate');
    expect(settle(dispatched, duplicate, true)).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_CREDITED,
      alertCode: '810E',
      creditedPence: '700',
    });
    expect(settle(dispatched, duplicate, false)).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      alertCode: '8F51',
    });
  });

  it('an answer that never reached the meter leaves the UTRN for manual entry', () => {
    const outcome = meterOutcome(answer({ responseCode: 'E51', detail: 'delivery expired', statusCode: 4 }));
    expect(settle(dispatched, outcome, false)).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_PENDING_MANUAL_ENTRY,
      outcomeCode: 'E51',
      settledAtMs: 0,
    });
  });
});
