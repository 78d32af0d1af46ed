import type { PaymentMode as ModelPaymentMode, SrvBodyMap } from '@dcc/meter';
import {
  ElectricityNonDisablementCalendar,
  GasNonDisablementCalendar,
  PaymentMode,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';

/*
 * The answers of the prepayment SRVs (device model → wire). Money in pence strings (penceString), so a GBCS
 * currency amount in 10^-5 GBP units reads as the same number of thousandths of a penny.
 */

type Body = ServiceResponse['body'];

export const PAYMENT_MODE: Record<ModelPaymentMode, PaymentMode> = {
  credit: PaymentMode.PAYMENT_MODE_CREDIT,
  prepayment: PaymentMode.PAYMENT_MODE_PREPAYMENT,
};

/**
 * Pence as the wire carries money: a decimal string with at most three fractional digits ("-12.345"). The model
 * keeps thousandths of a penny, so rounding to them only removes binary floating-point noise.
 */
export function penceString(pence: number): string {
  const mp = Math.round(pence * 1000);
  const abs = Math.abs(mp);
  const whole = Math.trunc(abs / 1000);
  const fraction = (abs % 1000).toString().padStart(3, '0').replace(/0+$/, '');
  return `${mp < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function prepayConfiguration(b: SrvBodyMap['2.1']) {
  return {
    ...(b.debtRecoveryCapPencePerDay === null
      ? {}
      : { debtRecoveryCapPencePerDay: penceString(b.debtRecoveryCapPencePerDay) }),
    emergencyCreditLimitPence: penceString(b.emergencyCreditLimitPence),
    emergencyCreditThresholdPence: penceString(b.emergencyCreditThresholdPence),
    lowCreditThresholdPence: penceString(b.lowCreditThresholdPence),
    maxMeterBalancePence: penceString(b.maxMeterBalancePence),
    maxCreditThresholdPence: penceString(b.maxCreditThresholdPence),
    disablementThresholdPence: penceString(b.disablementThresholdPence),
  };
}

/** The calendar as 2.1 sent it (the wire's shape, kept as JSON by the device). */
function calendarOf(calendar: SrvBodyMap['4.13']['calendar']) {
  if (!calendar) return {};
  return calendar.fuel === 'gas'
    ? { gasCalendar: GasNonDisablementCalendar.fromJSON(calendar.calendar) }
    : { electricityCalendar: ElectricityNonDisablementCalendar.fromJSON(calendar.calendar) };
}

/** 4.13, 4.14, 4.4.4 and 4.4.5. */
export const PREPAY_READ_BODIES: {
  [S in '4.13' | '4.14' | '4.4.4' | '4.4.5']: (body: SrvBodyMap[S]) => Body;
} = {
  '4.13': (b) => ({
    $case: 'prepaymentConfiguration',
    value: {
      configuration: prepayConfiguration(b),
      paymentMode: PAYMENT_MODE[b.paymentMode],
      suspendDebtDisabled: b.suspendDebtDisabled,
      suspendDebtEmergency: b.suspendDebtEmergency,
      paymentDebtRecoveryPercent: b.paymentDebtRecoveryPercent,
      meterTimeMs: b.meterTimeMs,
      ...calendarOf(b.calendar),
    },
  }),
  '4.14': (b) => ({
    $case: 'prepaymentDailyReadLog',
    value: {
      entries: b.entries.map((e) => ({
        atMs: e.atMs,
        meterBalancePence: penceString(e.meterBalancePence),
        emergencyCreditBalancePence: penceString(e.emergencyCreditBalancePence),
        timeDebt1Pence: penceString(e.timeDebt1Pence),
        timeDebt2Pence: penceString(e.timeDebt2Pence),
        paymentDebtPence: penceString(e.paymentDebtPence),
      })),
      // Filled in from the request by echoCredentials: the device model answers unencrypted.
      kaPublicSecurityCredentials: '',
    },
  }),
  '4.4.4': (b) => ({
    $case: 'debtPaymentsLog',
    value: {
      entries: b.entries.map((e) => ({
        atMs: e.atMs,
        recoveredPence: penceString(e.recoveredPence),
        paymentDebtAfterPence: penceString(e.paymentDebtAfterPence),
      })),
    },
  }),
  '4.4.5': (b) => ({
    $case: 'prepaymentCreditsLog',
    value: { entries: b.entries.map((e) => ({ atMs: e.atMs, creditPence: penceString(e.creditPence) })) },
  }),
};

/** 4.14's answer reports the KAPublicSecurityCredentials its request carried (the URP variant). */
export function echoCredentials(request: ServiceRequest, body: Body): Body {
  if (body?.$case === 'prepaymentDailyReadLog' && request.body?.$case === 'readPrepaymentDailyReadLog') {
    body.value.kaPublicSecurityCredentials = request.body.value.kaPublicSecurityCredentials;
  }
  if (body?.$case === 'dailyConsumptionLog' && request.body?.$case === 'retrieveDailyConsumptionLog') {
    body.value.kaPublicSecurityCredentials = request.body.value.kaPublicSecurityCredentials;
  }
  return body;
}
