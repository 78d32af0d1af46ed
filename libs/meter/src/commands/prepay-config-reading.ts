import type { PrepayConfig } from '../meter-state.js';
import { mpToPence } from '../money.js';
import type { PrepayConfigReading } from './types.js';

/** The prepayment configuration as 2.1 and 4.13 report it, in pence. */
export function configReading(config: PrepayConfig): PrepayConfigReading {
  return {
    debtRecoveryCapPencePerDay:
      config.debtRecoveryCapMpPerDay === null ? null : mpToPence(config.debtRecoveryCapMpPerDay),
    emergencyCreditLimitPence: mpToPence(config.emergencyCreditLimitMp),
    emergencyCreditThresholdPence: mpToPence(config.emergencyCreditThresholdMp),
    lowCreditThresholdPence: mpToPence(config.lowCreditThresholdMp),
    maxMeterBalancePence: mpToPence(config.maxMeterBalanceMp),
    maxCreditThresholdPence: mpToPence(config.maxCreditThresholdMp),
    disablementThresholdPence: mpToPence(config.disablementThresholdMp),
  };
}
