import { GridEventKind, VoltageExcursionKind } from '@dcc/proto';

/** What one device alert says about the network, or undefined for an alert that is not a grid event. */
export interface GridAlertMeaning {
  kind: GridEventKind;
  /** Phase 1-3, or 0 for the whole supply. */
  phase: number;
  voltageExcursion: VoltageExcursionKind;
  excursionEnded: boolean;
  longOutage: boolean;
}

const V = VoltageExcursionKind;

/**
 * Voltage alert code ranges (DCC-REFERENCE §6): first code, excursion, whether the range reports its end. Each
 * range is four codes: the whole supply (or single phase), then phases 1-3.
 */
const VOLTAGE_RANGES: readonly [from: number, excursion: VoltageExcursionKind, ended: boolean][] = [
  [0x8002, V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_OVER, false], // 0x8002, 0x8003-05
  [0x8006, V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_UNDER, false], // 0x8006, 0x8007-09
  [0x8020, V.VOLTAGE_EXCURSION_KIND_EXTREME_OVER, false],
  [0x8024, V.VOLTAGE_EXCURSION_KIND_SWELL, false],
  [0x8028, V.VOLTAGE_EXCURSION_KIND_EXTREME_UNDER, false],
  [0x802c, V.VOLTAGE_EXCURSION_KIND_SAG, false],
  [0x8085, V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_OVER, true],
  [0x8089, V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_UNDER, true],
  [0x808d, V.VOLTAGE_EXCURSION_KIND_EXTREME_OVER, true],
  [0x8091, V.VOLTAGE_EXCURSION_KIND_SWELL, true],
  [0x8095, V.VOLTAGE_EXCURSION_KIND_EXTREME_UNDER, true],
  [0x8099, V.VOLTAGE_EXCURSION_KIND_SAG, true],
];

const meaning = (
  kind: GridEventKind,
  phase: number,
  extra: Partial<GridAlertMeaning> = {},
): GridAlertMeaning => ({
  kind,
  phase,
  voltageExcursion: V.VOLTAGE_EXCURSION_KIND_UNSPECIFIED,
  excursionEnded: false,
  longOutage: false,
  ...extra,
});

/**
 * The network meaning of a device alert code (four hex digits): supply interrupted 0x8F57 (any) and 0x8F58-5A
 * (phases 1-3); restored 0x8F35 (any), 0x8F36 (any, after ≥ 3 minutes), 0x8F37-3C (per phase: short, long
 * alternating); the voltage ranges above. Everything else (prepayment, firmware, current, power factor, ...) is
 * not a grid feed event.
 */
export function gridAlertMeaning(code: string): GridAlertMeaning | undefined {
  const n = Number.parseInt(code, 16);
  if (!/^[0-9A-Fa-f]{4}$/.test(code)) return undefined;
  if (n === 0x8f57) return meaning(GridEventKind.GRID_EVENT_KIND_OUTAGE, 0);
  if (n >= 0x8f58 && n <= 0x8f5a) return meaning(GridEventKind.GRID_EVENT_KIND_OUTAGE, n - 0x8f57);
  if (n === 0x8f35 || n === 0x8f36) {
    return meaning(GridEventKind.GRID_EVENT_KIND_RESTORE, 0, { longOutage: n === 0x8f36 });
  }
  if (n >= 0x8f37 && n <= 0x8f3c) {
    const k = n - 0x8f37;
    return meaning(GridEventKind.GRID_EVENT_KIND_RESTORE, 1 + (k >> 1), { longOutage: (k & 1) === 1 });
  }
  for (const [from, excursion, ended] of VOLTAGE_RANGES) {
    if (n >= from && n < from + 4) {
      return meaning(GridEventKind.GRID_EVENT_KIND_VOLTAGE, n - from, {
        voltageExcursion: excursion,
        excursionEnded: ended,
      });
    }
  }
  return undefined;
}
