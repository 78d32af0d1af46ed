import { DebtRecoveryRatePeriod, PaymentMode, PrepayConfigFuel, type DebtRecoveryRate } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, executionDateTime, readLogPeriod, type SampleMapper } from './map-common.js';
import { electricityCalendar, gasCalendar } from './map-prepay-calendar.js';

/**
 * A DUIS currency amount (an integer in 10^-5 GBP) as the wire's pence: the same number of thousandths of a
 * penny (docs/prepayment-srvs.md).
 */
export function pence(text: string): string {
  if (!/^-?\d+$/.test(text)) throw new Unexpressible(`"${text}" is not a DUIS currency amount`);
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(4, '0');
  const whole = digits.slice(0, -3).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(-3).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const optionalPence = (body: BodyReader, name: string) => {
  const text = body.optionalText(name);
  return text === undefined ? undefined : pence(text);
};

const flagText = (text: string | undefined) => (text === undefined ? undefined : text === 'true');

/**
 * A GSME's debt recovery rate has no price scale in DUIS: like every other GSME currency amount (TimeDebtRegister1
 * …) it is in 10^-5 GBP, thousandths of a penny, so on the wire it is rate × 10^-3 pence. (Read as pence, DCC's
 * GCS04 would recover £500 an hour against a £5 debt.)
 */
const GAS_RATE_PRICE_SCALE = -3;

/** ElecDebtRecoveryN (rate, price scale, period) or else GasDebtRecoveryN (rate, period), as DebtRecoveryRate. */
function debtRecoveryRate(body: BodyReader, n: 1 | 2): DebtRecoveryRate | undefined {
  const elec = body.optionalChild(`ElecDebtRecovery${n}`);
  const rate = elec ?? body.optionalChild(`GasDebtRecovery${n}`);
  if (!rate) return undefined;
  const period =
    DebtRecoveryRatePeriod[
      `DEBT_RECOVERY_RATE_PERIOD_${rate.text('DebtRecoveryRatePeriod')}` as keyof typeof DebtRecoveryRatePeriod
    ];
  if (period === undefined) throw new Unexpressible('DebtRecoveryRatePeriod has no wire value');
  return {
    rate: Number(rate.text('DebtRecoveryRate')),
    priceScale: elec ? Number(elec.optionalText('DebtRecoveryRatePriceScale') ?? '0') : GAS_RATE_PRICE_SCALE,
    period,
  };
}

/** The 2.1 amounts, from UpdatePrepayConfigElectricity or UpdatePrepayConfigGas. */
function prepayConfiguration(config: BodyReader) {
  return {
    debtRecoveryCapPencePerDay: optionalPence(config, 'DebtRecoveryRateCap'),
    emergencyCreditLimitPence: optionalPence(config, 'EmergencyCreditLimit'),
    emergencyCreditThresholdPence: optionalPence(config, 'EmergencyCreditThreshold'),
    lowCreditThresholdPence: optionalPence(config, 'LowCreditThreshold'),
    maxMeterBalancePence: optionalPence(config, 'MaxMeterBalance'),
    maxCreditThresholdPence: optionalPence(config, 'MaxCreditThreshold'),
    disablementThresholdPence: optionalPence(config, 'DisablementThreshold'),
  };
}

/**
 * 1.x modes (tariffs: map-tariffs.ts), 2.x prepayment, 4.x prepayment reads, as the API's bodies stand: what they have no place
 * for stays unread (so the sample counts as dropping it).
 */
export const PREPAYMENT_MAPPERS: Record<string, SampleMapper> = {
  '1.5': (body) => {
    const prepayment = body.optionalChild('PrepaymentMode');
    const wrapper = prepayment ?? body.optionalChild('CreditMode') ?? body;
    const balanceMode = prepayment
      ? PaymentMode.PAYMENT_MODE_PREPAYMENT
      : wrapper === body
        ? undefined
        : PaymentMode.PAYMENT_MODE_CREDIT;
    const adjust = wrapper.optionalText('AdjustMeterBalance');
    const change =
      adjust === undefined
        ? { $case: 'reset' as const, value: wrapper.flag('ResetMeterBalance') }
        : { $case: 'adjustPence' as const, value: pence(adjust) };
    return { $case: 'updateMeterBalance', value: { change, balanceMode } };
  },
  '1.6': (body) => {
    const prepayment = body.optionalChild('Prepayment');
    const mode = body.flag('Credit') ? PaymentMode.PAYMENT_MODE_CREDIT : PaymentMode.PAYMENT_MODE_PREPAYMENT;
    return {
      $case: 'updatePaymentMode',
      value: {
        ...executionDateTime(body),
        mode,
        suspendDebtDisabled: flagText(prepayment?.optionalText('SuspendDebtDisabled')),
        suspendDebtEmergency: flagText(prepayment?.optionalText('SuspendDebtEmergency')),
        disablementThresholdPence: prepayment ? optionalPence(prepayment, 'DisablementThreshold') : undefined,
      },
    };
  },
  '2.1': (body) => {
    const electricity = body.optionalChild('UpdatePrepayConfigElectricity');
    const config = electricity ?? body.child('UpdatePrepayConfigGas');
    const calendar = electricity
      ? config.optionalChild('ElectricityNonDisablementCalendar')
      : config.optionalChild('GasNonDisablementCalendar');
    return {
      $case: 'updatePrepayConfiguration',
      value: {
        removeDebtRecoveryCap: false,
        ...prepayConfiguration(config),
        ...executionDateTime(body),
        fuel: electricity
          ? PrepayConfigFuel.PREPAY_CONFIG_FUEL_ELECTRICITY
          : PrepayConfigFuel.PREPAY_CONFIG_FUEL_GAS,
        ...(calendar && electricity ? { electricityCalendar: electricityCalendar(calendar) } : {}),
        ...(calendar && !electricity ? { gasCalendar: gasCalendar(calendar) } : {}),
      },
    };
  },
  '2.2': (body) => ({ $case: 'topUpDevice', value: { utrn: body.text('UTRN') } }),
  '2.3': (body) => {
    const perPayment = body.optionalText('DebtRecoveryPerPayment');
    return {
      $case: 'updateDebt',
      value: {
        timeDebt1Pence: optionalPence(body, 'TimeDebtRegister1'),
        timeDebt2Pence: optionalPence(body, 'TimeDebtRegister2'),
        paymentDebtPence: optionalPence(body, 'PaymentDebtRegister'),
        debtRecoveryPerPayment: perPayment === undefined ? undefined : Number(perPayment),
        timeDebt1RecoveryRate: debtRecoveryRate(body, 1),
        timeDebt2RecoveryRate: debtRecoveryRate(body, 2),
      },
    };
  },
  '2.5': empty('activateEmergencyCredit'),
  '4.13': empty('readPrepaymentConfiguration'),
  '4.14': (body) => ({
    $case: 'readPrepaymentDailyReadLog',
    value: {
      period: readLogPeriod(body),
      kaPublicSecurityCredentials: body.optionalText('KAPublicSecurityCredentials') ?? '',
    },
  }),
  '4.4.4': (body) => ({
    $case: 'retrieveBillingDataLogDebtPayments',
    value: { period: readLogPeriod(body) },
  }),
  '4.4.5': (body) => ({
    $case: 'retrieveBillingDataLogPrepaymentCredits',
    value: { period: readLogPeriod(body) },
  }),
};
