import type { JsonValue, SrvBodyMap } from '@dcc/meter';
import {
  SecondaryPriceElements,
  SwitchingTable,
  SpecialDay,
  TariffPrimaryElement,
  type ServiceResponse,
  type TariffSecondaryReading,
} from '@dcc/proto';

type Body = NonNullable<ServiceResponse['body']>;
type Obj = { [key: string]: JsonValue };

/** The model keeps tariff parts in the wire's shape (ts-proto objects as JSON); fromPartial restores defaults. */
const primary = (tariff: JsonValue) =>
  tariff
    ? TariffPrimaryElement.fromPartial(tariff as Parameters<typeof TariffPrimaryElement.fromPartial>[0])
    : undefined;

function secondary(b: SrvBodyMap['4.11.2']): TariffSecondaryReading {
  const s = (b.secondary ?? {}) as Obj;
  const days = Array.isArray(s['specialDays']) ? s['specialDays'] : [];
  return {
    switchingTable: s['switchingTable']
      ? SwitchingTable.fromPartial(s['switchingTable'] as object)
      : undefined,
    specialDays: days.map((day) => SpecialDay.fromPartial(day as object)),
    priceElements: s['priceElements']
      ? SecondaryPriceElements.fromPartial(s['priceElements'] as object)
      : undefined,
    effectiveFromMs: b.effectiveFromMs,
    meterTimeMs: b.meterTimeMs,
  };
}

const matrices = (b: SrvBodyMap['4.1.3']) => ({
  touRegistersWh: b.touRegistersWh,
  blockCounters: b.blockCounters.map((counters) => ({ counters })),
  countersSinceMs: b.countersSinceMs,
  dailyReset: b.dailyReset,
  meterTimeMs: b.meterTimeMs,
});

/** 1.1.2, 1.2.x, 1.7, 4.11.x, 4.1.3, 4.1.4, 6.26: the model's answers as response bodies. */
export const TARIFF_BODIES: {
  [S in '1.1.2' | '1.2.1' | '1.2.2' | '1.7' | '4.11.1' | '4.11.2' | '4.1.3' | '4.1.4' | '6.26']: (
    body: SrvBodyMap[S],
  ) => Body;
} = {
  '1.1.2': (b) => ({ $case: 'importTariffSecondaryElementUpdated', value: secondary(b) }),
  '1.2.1': (b) => ({
    $case: 'pricePrimaryElementUpdated',
    value: { tariff: primary(b.tariff), effectiveFromMs: b.effectiveFromMs, meterTimeMs: b.meterTimeMs },
  }),
  '1.2.2': (b) => ({ $case: 'priceSecondaryElementUpdated', value: secondary(b) }),
  '1.7': (b) => ({ $case: 'tariffBlockCounterMatrixReset', value: matrices(b) }),
  '4.11.1': (b) => ({
    $case: 'tariffPrimaryElement',
    value: { tariff: primary(b.tariff), effectiveFromMs: b.effectiveFromMs, meterTimeMs: b.meterTimeMs },
  }),
  '4.11.2': (b) => ({ $case: 'tariffSecondaryElement', value: secondary(b) }),
  '4.1.3': (b) => ({ $case: 'touWithBlocksMatrices', value: matrices(b) }),
  '4.1.4': (b) => ({
    $case: 'blockCounters',
    value: { counters: b.counters, countersSinceMs: b.countersSinceMs, meterTimeMs: b.meterTimeMs },
  }),
  '6.26': (b) => ({
    $case: 'blockCounterDailyResetConfigured',
    value: { dailyReset: b.dailyReset, meterTimeMs: b.meterTimeMs },
  }),
};

/** 1.1.1's DUIS-form tariff, echoed beside the daily table it meters by. */
export const duisTariffOf = (tariff: JsonValue | undefined) => (tariff ? { tariff: primary(tariff) } : {});
