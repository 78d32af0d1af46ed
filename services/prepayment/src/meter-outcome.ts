import { DeviceOutcomeKind, TopUpStage, type ServiceResponse, type TopUpRecord } from '@dcc/proto';

/** The UTRN alerts a meter raises for a top-up it refuses (DCC-REFERENCE §4.1), the one a 2.2 answer names. */
const UTRN_ALERTS = new Set(['8F51', '8F63', '8F64', '8F5B', '8F47']);
/** The duplicate alert: the meter's counter is already at or above this UTRN's. */
export const UTRN_DUPLICATE_ALERT = '8F51';
/** The credit-added-locally alert a meter raises when a UTRN keyed in at the premises credits. */
export const CREDIT_ADDED_LOCALLY_ALERT = '810E';

/** What the meter's answer to a top-up's 2.2 means for the payment. */
export type MeterOutcome =
  | { kind: 'credited'; creditedPence: string; meterBalancePence: string }
  | { kind: 'rejected'; code: string; alertCode: string; reason: string }
  /** 0x8F51: credited before (keyed in) or overtaken by a later UTRN; the keypad's alerts tell which. */
  | { kind: 'duplicate'; reason: string }
  /** The 2.2 did not reach the meter (a hub or transport failure): the UTRN is for manual entry. */
  | { kind: 'undelivered'; code: string; reason: string };

/** Reads a 2.2's ServiceResponse (the meter's answer on the supplier's responses). */
export function meterOutcome(response: ServiceResponse): MeterOutcome {
  if (response.body?.$case === 'topUp') {
    const receipt = response.body.value;
    return {
      kind: 'credited',
      creditedPence: receipt.creditedPence,
      meterBalancePence: receipt.meterBalancePence,
    };
  }
  const outcome = response.deviceOutcome;
  if (outcome?.kind === DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED) {
    const alertCode = response.alerts.map((a) => a.code).find((code) => UTRN_ALERTS.has(code)) ?? '';
    if (alertCode === UTRN_DUPLICATE_ALERT) return { kind: 'duplicate', reason: response.detail };
    return { kind: 'rejected', code: outcome.rejectionReason, alertCode, reason: response.detail };
  }
  return {
    kind: 'undelivered',
    code: response.responseCode || `gRPC status ${response.statusCode}`,
    reason: response.detail,
  };
}

/** Stages a meter's outcome may still be recorded over (the 2.2 may answer before DISPATCHED is written). */
export function awaitsMeter(stage: TopUpStage): boolean {
  return (
    stage === TopUpStage.TOP_UP_STAGE_ISSUED ||
    stage === TopUpStage.TOP_UP_STAGE_DISPATCHED ||
    stage === TopUpStage.TOP_UP_STAGE_PENDING_MANUAL_ENTRY
  );
}

/**
 * The record once the meter's outcome is known. `keyedIn`: for a duplicate, whether the meter raised 0x810E at
 * its keypad after the UTRN was issued (the customer keyed this UTRN in: credited once, that way); otherwise a
 * duplicate means a later UTRN's counter overtook this one, which can then never credit.
 */
export function settle(
  record: TopUpRecord,
  outcome: MeterOutcome,
  keyedIn: boolean,
  now = Date.now(),
): TopUpRecord {
  const base = { ...record, settledAtMs: now };
  switch (outcome.kind) {
    case 'credited':
      return {
        ...base,
        stage: TopUpStage.TOP_UP_STAGE_CREDITED,
        outcomeCode: 'I0',
        outcome: 'credited by the meter over the WAN',
        alertCode: '',
        creditedPence: outcome.creditedPence,
        meterBalancePence: outcome.meterBalancePence,
      };
    case 'duplicate':
      return keyedIn
        ? {
            ...base,
            stage: TopUpStage.TOP_UP_STAGE_CREDITED,
            outcomeCode: 'UTRN_DUPLICATE',
            outcome: 'credited at the premises (keyed in); the 2.2 that followed was a duplicate (0x8F51)',
            alertCode: CREDIT_ADDED_LOCALLY_ALERT,
            creditedPence: String(record.amountPence),
          }
        : {
            ...base,
            stage: TopUpStage.TOP_UP_STAGE_REJECTED,
            outcomeCode: 'UTRN_DUPLICATE',
            outcome: `the meter holds a later top-up's counter: ${outcome.reason}`,
            alertCode: UTRN_DUPLICATE_ALERT,
          };
    case 'rejected':
      return {
        ...base,
        stage: TopUpStage.TOP_UP_STAGE_REJECTED,
        outcomeCode: outcome.code,
        outcome: outcome.reason,
        alertCode: outcome.alertCode,
      };
    case 'undelivered':
      return {
        ...base,
        settledAtMs: 0,
        stage: TopUpStage.TOP_UP_STAGE_PENDING_MANUAL_ENTRY,
        outcomeCode: outcome.code,
        outcome: `the 2.2 did not reach the meter (${outcome.reason}): key the UTRN in at the premises`,
      };
  }
}
