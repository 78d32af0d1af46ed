import { describe, expect, it } from 'vitest';
import { DccError } from '../dcc-error.js';
import { GrpcStatus } from '../grpc-status.js';
import { allSrvs, requireSrv } from './srv-catalogue.js';
import {
  availableCommandVariants,
  checkRequestBody,
  deviceHandlerOf,
  routedOwnerOf,
  supportedSrvs,
} from './srv-support.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function refusal(srv: string, $case: string, value: unknown): DccError {
  try {
    checkRequestBody(srv, { $case, value });
  } catch (error) {
    return error as DccError;
  }
  throw new Error(`SRV ${srv} accepted ${JSON.stringify(value)}`);
}

describe('the SRV table against the catalogue', () => {
  it('names only catalogue SRVs; device entries name a handler, routed ones are non-device', () => {
    for (const [srv, entry] of supportedSrvs()) {
      const definition = requireSrv(srv);
      if (entry.answeredBy === 'device') {
        expect(definition.nonDevice, srv).toBe(false);
        expect(deviceHandlerOf(srv), srv).toBeTruthy();
      } else {
        expect(definition.nonDevice, srv).toBe(true);
        expect(entry.deviceHandler, srv).toBeUndefined();
      }
    }
  });

  it('derives the command variants: 1-3 or 4-7 for device SRVs, 8 when routed, none when absent', () => {
    expect(availableCommandVariants(requireSrv('4.1.1'))).toEqual([1, 2, 3]);
    expect(availableCommandVariants(requireSrv('7.2'))).toEqual([4, 5, 6, 7]);
    expect(availableCommandVariants(requireSrv('8.2'))).toEqual([8]);
    // An SRV the table does not hold (none of the catalogue's now: see the test below) has none.
    expect(availableCommandVariants({ ...requireSrv('4.1.1'), srv: '99.9' })).toEqual([]);
  });

  it('carries out every catalogue SRV with all its command variants, so none is refused as not available', () => {
    for (const definition of allSrvs()) {
      expect(availableCommandVariants(definition), definition.srv).toEqual(definition.commandVariants);
      if (definition.nonDevice) expect(routedOwnerOf(definition.srv), definition.srv).toBeDefined();
      else expect(deviceHandlerOf(definition.srv), definition.srv).toBeTruthy();
    }
  });

  it('names the owner of routed non-device SRVs, none for device SRVs', () => {
    expect(routedOwnerOf('8.2')).toBe('registration');
    expect(routedOwnerOf('5.1')).toBe('scheduling');
    expect(routedOwnerOf('4.1.1')).toBeUndefined();
  });
});

describe('checkRequestBody', () => {
  it('refuses the four bad bodies of the acceptance criteria with INVALID_ARGUMENT naming the field', () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['3.1', 'displayMessage', { message: 'x'.repeat(161) }, /SRV 3.1: message is longer than 160/],
      ['2.2', 'topUpDevice', { utrn: '1234' }, /SRV 2.2: utrn must be 20 digits/],
      [
        '4.8.1',
        'readActiveImportProfileData',
        { period: { startMs: START, endMs: START + 40 * DAY_MS } },
        /SRV 4.8.1: period is longer than 31 days/,
      ],
      [
        '6.22',
        'configureAlertBehaviour',
        { enableAlertCodes: ['XYZ1'], disableAlertCodes: [] },
        /SRV 6.22: enableAlertCodes holds "XYZ1"/,
      ],
    ];
    for (const [srv, $case, value, message] of cases) {
      const error = refusal(srv, $case, value);
      expect(error.status, srv).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.responseCode, srv).toBeUndefined();
      expect(error.message, srv).toMatch(message);
    }
  });

  it("refuses another SRV's body and a missing one where parameters are needed", () => {
    expect(refusal('2.2', 'displayMessage', { message: 'hi' }).message).toMatch(
      /SRV 2.2 takes body topUpDevice, not displayMessage/,
    );
    expect(() => checkRequestBody('2.2', undefined)).toThrow(
      /needs its parameters: body topUpDevice is missing/,
    );
    expect(() => checkRequestBody('4.8.1', undefined)).toThrow(/needs its parameters/);
    // An SRV the table does not hold takes no body (every catalogue SRV is in the table).
    expect(refusal('99.9', 'displayMessage', {}).message).toMatch(/takes no body/);
  });

  it('accepts valid bodies, parameterless SRVs without one, and an absent body when it comes signed', () => {
    expect(() =>
      checkRequestBody('3.1', { $case: 'displayMessage', value: { message: 'x'.repeat(160) } }),
    ).not.toThrow();
    expect(() =>
      checkRequestBody('4.8.1', {
        $case: 'readActiveImportProfileData',
        value: { period: { startMs: START, endMs: START + 31 * DAY_MS } },
      }),
    ).not.toThrow();
    expect(() => checkRequestBody('4.1.1', undefined)).not.toThrow();
    expect(() => checkRequestBody('1.6', undefined, true)).not.toThrow();
  });

  it('checks every rule of an entry: 6.22 needs a code, 6.5 ranges, 1.1.1 table, 1.5 change, 11.3 hash', () => {
    expect(
      refusal('6.22', 'configureAlertBehaviour', { enableAlertCodes: [], disableAlertCodes: [] }).message,
    ).toMatch(/at least one/);
    expect(
      refusal('6.22', 'configureAlertBehaviour', { enableAlertCodes: [], disableAlertCodes: ['8F01'] })
        .message,
    ).toMatch(/critical alerts cannot be disabled/);
    for (const list of ['disableHanAlertCodes', 'disableAlarmCodes', 'disableEventLogCodes']) {
      expect(refusal('6.22', 'configureAlertBehaviour', { [list]: ['8F66'] }).message).toMatch(
        /critical alerts cannot be disabled/,
      );
    }
    expect(refusal('6.22', 'configureAlertBehaviour', { enableAlarmCodes: ['81c6'] }).message).toMatch(
      /enableAlarmCodes holds "81c6"/,
    );
    expect(refusal('6.5', 'updateDeviceConfigurationVoltage', { sagV: 501 }).message).toMatch(/sagV/);
    expect(refusal('6.5', 'updateDeviceConfigurationVoltage', { averagePeriodS: 0 }).message).toMatch(
      /averagePeriodS/,
    );
    const tariff = {
      pricesPencePerKwh: ['10', '20'],
      switchingTable: Array(48).fill(3),
      standingChargePencePerDay: '40',
    };
    expect(refusal('1.1.1', 'updateImportTariff', tariff).message).toMatch(
      /switchingTable\[0\] must be a whole number from 1 to 2/,
    );
    expect(() =>
      checkRequestBody('1.1.1', {
        $case: 'updateImportTariff',
        value: { ...tariff, switchingTable: Array(48).fill(2) },
      }),
    ).not.toThrow();
    expect(
      refusal('1.5', 'updateMeterBalance', { change: { $case: 'reset', value: false } }).message,
    ).toMatch(/adjustPence or reset/);
    expect(refusal('11.3', 'activateFirmware', { imageHash: 'ab' }).message).toMatch(
      /imageHash must be 64 hex digits/,
    );
    expect(refusal('1.6', 'updatePaymentMode', { mode: 0 }).message).toMatch(
      /mode must be credit or prepayment/,
    );
  });
});
