import { firstViolation, type BodyFields, type BodyRule } from './body-rules.js';
import {
  firstProblem,
  list,
  obj,
  oneofOf,
  switchingProblem,
  TARIFF_LIMITS,
  whole,
  type Obj,
} from './tariff-switching-rules.js';

/*
 * The tariff SRVs' bodies (1.1.1 in DUIS form, 1.1.2, 1.2.1, 1.2.2, 6.26) as the wire carries them
 * (tariff.proto): what the hub checks before I99 and the device model checks again. Prices are DUIS's scaled
 * integers; the scales the hub takes (-5 to 0) are those whose prices are whole thousandths of a penny, the unit
 * the device model charges in.
 */

const MAX_PRICE = TARIFF_LIMITS.noThreshold;
const SCALE = { min: -5, max: 0 } as const;
/** DUIS CurrencyUnits as DCC's samples spell them: GBP, and the euro as EUR (ESME) or ECB (GSME, GCS01b). */
const CURRENCIES = new Set(['GBP', 'EUR', 'ECB']);

const prices = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const badPrice = (name: string, values: unknown[]) => {
  const i = values.findIndex((price) => !whole(price, 0, MAX_PRICE));
  return i < 0 ? undefined : `${name}[${i}] must be a whole number from 0 to ${MAX_PRICE}`;
};
const scaleProblem = (name: string, scale: unknown) =>
  whole(scale ?? 0, SCALE.min, SCALE.max) ? undefined : `${name} must be ${SCALE.min} to ${SCALE.max}`;

function thresholdsProblem(name: string, thresholds: unknown[]): string | undefined {
  if (thresholds.length < 1 || thresholds.length > TARIFF_LIMITS.thresholdsPerBlock) {
    return `${name} must hold 1 to ${TARIFF_LIMITS.thresholdsPerBlock} thresholds`;
  }
  for (const [i, threshold] of thresholds.entries()) {
    if (!whole(threshold, 1, TARIFF_LIMITS.noThreshold))
      return `${name}[${i}] must be 1 to ${TARIFF_LIMITS.noThreshold}`;
    if (i > 0 && threshold <= (thresholds[i - 1] as number))
      return `${name}[${i}] must exceed the threshold before it`;
  }
  return undefined;
}

function electricityPricesProblem(p: Obj): string | undefined {
  const tou = prices(p['touPrices']);
  const blocks = list(p['blockPrices']);
  return firstProblem([
    () => (whole(p['standingCharge'], 0, MAX_PRICE) ? undefined : 'standingCharge must be a whole number'),
    () => scaleProblem('standingChargeScale', p['standingChargeScale']),
    () => scaleProblem('priceScale', p['priceScale']),
    () => (tou.length === 0 && blocks.length === 0 ? 'give TOU prices, block prices or both' : undefined),
    () => (tou.length > TARIFF_LIMITS.touRates ? `at most ${TARIFF_LIMITS.touRates} TOU prices` : undefined),
    () => badPrice('touPrices', tou),
    () =>
      blocks.length > TARIFF_LIMITS.blockActions
        ? `at most ${TARIFF_LIMITS.blockActions} block price rows`
        : undefined,
    ...blocks.map((row, i) => () => {
      const values = prices(row['prices']);
      if (values.length < 1 || values.length > TARIFF_LIMITS.pricesPerBlock) {
        return `blockPrices[${i}] must hold 1 to ${TARIFF_LIMITS.pricesPerBlock} prices`;
      }
      return badPrice(`blockPrices[${i}].prices`, values);
    }),
  ]);
}

function gasPricesProblem(p: Obj): string | undefined {
  const tariff = oneofOf(p['tariff']);
  const values = prices(obj(tariff?.value)?.['prices']);
  return firstProblem([
    () =>
      CURRENCIES.has(p['currencyUnits'] as string) ? undefined : 'currencyUnits must be GBP, EUR or ECB',
    () => (whole(p['standingCharge'], 0, MAX_PRICE) ? undefined : 'standingCharge must be a whole number'),
    () => (tariff ? undefined : 'give a TOU tariff or a block tariff'),
    () =>
      tariff?.$case === 'touTariff' && (values.length < 1 || values.length > TARIFF_LIMITS.gasTouRates)
        ? `a GSME TOU tariff has 1 to ${TARIFF_LIMITS.gasTouRates} prices`
        : undefined,
    () =>
      tariff?.$case === 'blockTariff' && values.length !== TARIFF_LIMITS.pricesPerBlock
        ? `a GSME block tariff has ${TARIFF_LIMITS.pricesPerBlock} prices`
        : undefined,
    () =>
      tariff?.$case === 'blockTariff' &&
      !whole(obj(tariff.value)?.['numberOfThresholds'], 1, TARIFF_LIMITS.thresholdsPerBlock)
        ? `numberOfThresholds must be 1 to ${TARIFF_LIMITS.thresholdsPerBlock}`
        : undefined,
    () => badPrice('prices', values),
  ]);
}

/** The first problem with price elements of the fuel, or undefined. */
export function priceElementsProblem(priceElements: unknown): string | undefined {
  const fuel = oneofOf(obj(priceElements)?.['fuel']);
  const p = obj(fuel?.value);
  if (!fuel || !p) return 'priceElements give no electricity or gas prices';
  const problem = fuel.$case === 'gas' ? gasPricesProblem(p) : electricityPricesProblem(p);
  return problem && `priceElements: ${problem}`;
}

function elecElementsProblem(e: Obj, p: Obj): string | undefined {
  const rows = list(e['thresholdMatrix']);
  return firstProblem([
    () =>
      CURRENCIES.has(e['currencyUnits'] as string) ? undefined : 'currencyUnits must be GBP, EUR or ECB',
    () =>
      rows.length === TARIFF_LIMITS.blockActions
        ? undefined
        : `thresholdMatrix must hold ${TARIFF_LIMITS.blockActions} rows, one per block action`,
    ...rows.map((row, i) => () => thresholdsProblem(`thresholdMatrix[${i}]`, prices(row['thresholds']))),
    () =>
      switchingProblem(e['switchingTable'], e['specialDays'], {
        gas: false,
        touRates: prices(p['touPrices']).length,
        blockRows: list(p['blockPrices']).length,
      }),
  ]);
}

function gasElementsProblem(e: Obj, p: Obj): string | undefined {
  const tariff = oneofOf(p['tariff']);
  const thresholds = prices(e['blockThresholds']);
  return firstProblem([
    () => thresholdsProblem('blockThresholds', thresholds),
    () =>
      tariff?.$case === 'blockTariff' &&
      (obj(tariff.value)?.['numberOfThresholds'] as number) > thresholds.length
        ? 'numberOfThresholds exceeds the block thresholds given'
        : undefined,
    () =>
      switchingProblem(e['switchingTable'], e['specialDays'], {
        gas: true,
        touRates: tariff?.$case === 'touTariff' ? prices(obj(tariff.value)?.['prices']).length : 0,
        blockRows: tariff?.$case === 'blockTariff' ? 1 : 0,
      }),
  ]);
}

/** 1.1.1 in DUIS form: tariff elements of one fuel with prices of the same fuel for every action they name. */
export function tariffPrimaryProblem(tariff: unknown): string | undefined {
  const t = obj(tariff);
  const elements = oneofOf(t?.['tariffElements']);
  const e = obj(elements?.value);
  if (!elements || !e) return 'tariff gives no ElecTariffElements or GasTariffElements';
  const priceProblem = priceElementsProblem(t?.['priceElements']);
  if (priceProblem) return priceProblem;
  const fuel = oneofOf(obj(t?.['priceElements'])?.['fuel'])!;
  const gas = elements.$case === 'gasTariffElements';
  if (gas !== (fuel.$case === 'gas')) return 'tariff elements and price elements are of different fuels';
  const problem = gas ? gasElementsProblem(e, obj(fuel.value)!) : elecElementsProblem(e, obj(fuel.value)!);
  return problem && `tariff: ${problem}`;
}

/** 1.1.2 / 1.2.2's SecondaryPriceElements: a price scale and 1 to 4 TOU prices. */
export function secondaryPricesProblem(priceElements: unknown): string | undefined {
  const p = obj(priceElements);
  if (!p) return 'priceElements is missing';
  const values = prices(p['prices']);
  return firstProblem([
    () => scaleProblem('priceElements.priceScale', p['priceScale']),
    () =>
      values.length < 1 || values.length > TARIFF_LIMITS.secondaryTouRates
        ? `priceElements.prices must hold 1 to ${TARIFF_LIMITS.secondaryTouRates} prices`
        : undefined,
    () => badPrice('priceElements.prices', values),
  ]);
}

const rule =
  (problem: (fields: BodyFields) => string | undefined): BodyRule =>
  (fields) =>
    problem(fields);

/** 1.1.1's DUIS form: the simple form's fields stay empty beside it. */
export const tariffPrimaryRule = rule((fields) => {
  const simple = prices(fields['switchingTable']).length + prices(fields['pricesPencePerKwh']).length;
  if (simple > 0 || (fields['standingChargePencePerDay'] ?? '') !== '') {
    return 'give either the simple tariff (switchingTable, prices, standing charge) or tariff, not both';
  }
  return tariffPrimaryProblem(fields['tariff']);
});

/** 1.1.2: a switching table of TOU actions within the secondary element's 4 rates, and their prices. */
export const tariffSecondaryRule = rule(
  (fields) =>
    secondaryPricesProblem(fields['priceElements']) ??
    switchingProblem(fields['switchingTable'], fields['specialDays'], {
      gas: false,
      touRates: prices(obj(fields['priceElements'])?.['prices']).length,
      blockRows: 0,
    }),
);

/** 1.2.1: price elements of either fuel. */
export const pricePrimaryRule = rule((fields) => priceElementsProblem(fields['priceElements']));

/** 1.2.2: the secondary element's prices. */
export const priceSecondaryRule = rule((fields) => secondaryPricesProblem(fields['priceElements']));

/** 6.26: the flag is the whole body. */
export const dailyResetRule = rule((fields) =>
  typeof fields['dailyTariffBlockCounterMatrixReset'] === 'boolean'
    ? undefined
    : 'dailyTariffBlockCounterMatrixReset is missing',
);

/** 1.1.1 takes the simple form (one daily table, the rules given) or DUIS's own (tariffPrimaryRule). */
export const simpleOrDuisTariff =
  (simple: readonly BodyRule[]): BodyRule =>
  (fields) =>
    fields['tariff'] ? tariffPrimaryRule(fields) : firstViolation(simple, fields);
