import { GridEventKind, VoltageExcursionKind } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { gridAlertMeaning } from './grid-alerts.js';

const K = GridEventKind;
const V = VoltageExcursionKind;

describe('grid meaning of device alert codes', () => {
  it('outage and restore, whole supply and per phase', () => {
    expect(gridAlertMeaning('8F57')).toMatchObject({ kind: K.GRID_EVENT_KIND_OUTAGE, phase: 0 });
    expect(gridAlertMeaning('8F5A')).toMatchObject({ kind: K.GRID_EVENT_KIND_OUTAGE, phase: 3 });
    expect(gridAlertMeaning('8F35')).toMatchObject({
      kind: K.GRID_EVENT_KIND_RESTORE,
      phase: 0,
      longOutage: false,
    });
    expect(gridAlertMeaning('8F36')).toMatchObject({
      kind: K.GRID_EVENT_KIND_RESTORE,
      phase: 0,
      longOutage: true,
    });
    expect(gridAlertMeaning('8F37')).toMatchObject({ phase: 1, longOutage: false });
    expect(gridAlertMeaning('8F3C')).toMatchObject({ phase: 3, longOutage: true });
  });

  it('voltage excursions: start and end of each kind, per phase', () => {
    const cases: [string, VoltageExcursionKind, boolean, number][] = [
      ['8002', V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_OVER, false, 0],
      ['8009', V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_UNDER, false, 3],
      ['8020', V.VOLTAGE_EXCURSION_KIND_EXTREME_OVER, false, 0],
      ['8025', V.VOLTAGE_EXCURSION_KIND_SWELL, false, 1],
      ['802B', V.VOLTAGE_EXCURSION_KIND_EXTREME_UNDER, false, 3],
      ['802C', V.VOLTAGE_EXCURSION_KIND_SAG, false, 0],
      ['8085', V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_OVER, true, 0],
      ['8089', V.VOLTAGE_EXCURSION_KIND_AVERAGE_RMS_UNDER, true, 0],
      ['8090', V.VOLTAGE_EXCURSION_KIND_EXTREME_OVER, true, 3],
      ['8091', V.VOLTAGE_EXCURSION_KIND_SWELL, true, 0],
      ['8095', V.VOLTAGE_EXCURSION_KIND_EXTREME_UNDER, true, 0],
      ['809C', V.VOLTAGE_EXCURSION_KIND_SAG, true, 3],
    ];
    for (const [code, excursion, ended, phase] of cases) {
      expect(gridAlertMeaning(code), code).toEqual({
        kind: K.GRID_EVENT_KIND_VOLTAGE,
        phase,
        voltageExcursion: excursion,
        excursionEnded: ended,
        longOutage: false,
      });
    }
  });

  it('is undefined for alerts that are not network events, and for malformed codes', () => {
    for (const code of [
      '8F66',
      '8F0F',
      '8010',
      '8014',
      '8F34',
      '8F5B',
      '8001',
      '800A',
      '809D',
      'XYZ1',
      '8F570',
    ]) {
      expect(gridAlertMeaning(code), code).toBeUndefined();
    }
  });
});
