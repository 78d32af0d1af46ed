import { describe, expect, it } from 'vitest';
import { DccError } from '../dcc-error.js';
import { GrpcStatus } from '../grpc-status.js';
import type { UserRoleCode } from '../user-role.js';
import { allSrvs, findSrv, isRoleEligible, requireSrv } from './srv-catalogue.js';
import type { SrvDefinition } from './srv-definition.js';

// Expected values are DCC-REFERENCE §1.2's summary; its table agrees with every one of them.
const srvs = allSrvs();
const ids = (list: readonly SrvDefinition[]): string[] => list.map((d) => d.srv);

describe('SRV catalogue data', () => {
  it('holds the 129 variants of the matrix once each, in table order', () => {
    expect(srvs).toHaveLength(129);
    expect(new Set(ids(srvs)).size).toBe(129);
    expect(srvs[0]?.srv).toBe('1.1.1');
    expect(srvs.at(-1)?.srv).toBe('14.1');
  });

  it('marks 37 SRVs critical, and not 2.2 Top Up Device', () => {
    expect(srvs.filter((d) => d.critical)).toHaveLength(37);
    expect(requireSrv('2.2').critical).toBe(false);
  });

  it('lists the 13 DCC-schedulable SRVs of the summary', () => {
    expect(ids(srvs.filter((d) => d.dccSchedulable))).toEqual(
      '4.6.1 4.6.2 4.8.1 4.8.2 4.8.3 4.10 4.12.1 4.12.2 4.14 4.15 4.16 4.17 14.1'.split(' '),
    );
  });

  it('lists the 16 non-device SRVs of the summary', () => {
    const expected = '5.1 5.2 5.3 8.2 8.3 8.4 8.6 8.13 8.14.1 8.14.2 8.14.3 8.14.4 11.1 11.4 12.1 12.2';
    expect(ids(srvs.filter((d) => d.nonDevice))).toEqual(expected.split(' '));
  });

  it('counts the future-dated patterns as DSP 45, Device 11, DSP+Device 1 (6.23), none 72', () => {
    const count = (fd: SrvDefinition['futureDated']) => srvs.filter((d) => d.futureDated === fd).length;
    expect([count('DSP'), count('Device'), count('DSP+Device'), count(null)]).toEqual([45, 11, 1, 72]);
    expect(ids(srvs.filter((d) => d.futureDated === 'DSP+Device'))).toEqual(['6.23']);
  });

  it('counts the matrix role eligibilities (MDR and the supplier opt-out and opt-in are the modelled extensions on top)', () => {
    const count = (role: UserRoleCode) => srvs.filter((d) => isRoleEligible(d, role)).length;
    const matrixRoles: UserRoleCode[] = ['IS', 'GS', 'ED', 'OU', 'GT', 'RSA', 'ES'];
    // The matrix's 111 IS and 83 GS, plus 8.5 Service Opt Out and 8.6 Service Opt In for both supplier roles.
    expect(matrixRoles.map(count)).toEqual([113, 85, 38, 25, 21, 18, 16]);
    expect(requireSrv('8.5').roles).toEqual(['IS', 'GS']);
    expect(requireSrv('8.6').roles).toEqual(['IS', 'GS']);
    expect(ids(srvs.filter((d) => isRoleEligible(d, 'MDR')))).toEqual(
      '4.8.1 4.8.2 4.8.3 5.1 5.2 5.3 6.2.7 8.2 11.2'.split(' '),
    );
  });

  it('keeps the matrix order of roles and appends MDR last', () => {
    expect(requireSrv('4.4.4').roles).toEqual(['GS', 'IS']);
    expect(requireSrv('4.8.1').roles).toEqual(['IS', 'GS', 'ED', 'GT', 'OU', 'MDR']);
  });

  it('leaves 7.16 with no eligible role (8.5 and 8.6 are modelled for the suppliers)', () => {
    expect(ids(srvs.filter((d) => d.roles.length === 0))).toEqual(['7.16']);
  });

  it('gives critical SRVs CV 4-7, non-device SRVs CV 8 and the others CV 1-3', () => {
    for (const d of srvs) {
      const expected = d.critical ? [4, 5, 6, 7] : d.nonDevice ? [8] : [1, 2, 3];
      expect(d.commandVariants, d.srv).toEqual(expected);
    }
    expect(srvs.some((d) => d.critical && d.nonDevice)).toBe(false);
  });

  it('targets no device exactly when the SRV is non-device', () => {
    for (const d of srvs) expect(d.deviceTypes.length === 0, d.srv).toBe(d.nonDevice);
  });

  it('derives device types from the GBCS use cases', () => {
    expect(requireSrv('4.1.1').deviceTypes).toEqual(['ESME', 'GSME', 'GPF']);
    expect(requireSrv('2.2').deviceTypes).toEqual(['ESME', 'GSME']);
    expect(requireSrv('6.28').deviceTypes).toEqual(['CHF']);
    expect(requireSrv('7.5').deviceTypes).toEqual(['ESME', 'HCALCS']);
    // CCS05-CCS07 read a CHF's device log, CS07 any Type 1 device's join details.
    expect(requireSrv('8.9').deviceTypes).toEqual(['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS']);
    expect(requireSrv('8.7.2').deviceTypes).toEqual(['ESME', 'GSME', 'PPMID', 'HCALCS', 'IHD', 'CAD']);
    expect(requireSrv('11.2').deviceTypes).toEqual(['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS']);
    expect(requireSrv('14.1').deviceTypes).toEqual(['GSME', 'GPF']);
  });

  it('names every SRV and its body element', () => {
    for (const d of srvs) {
      expect(d.name, d.srv).not.toBe('');
      expect(d.bodyElement, d.srv).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });
});

describe('findSrv / requireSrv', () => {
  it('finds a known SRV', () => {
    expect(findSrv('4.1.1')?.bodyElement).toBe('ReadInstantaneousImportRegisters');
    expect(requireSrv('8.2').nonDevice).toBe(true);
  });

  it('returns undefined from findSrv for an unknown SRV', () => {
    expect(findSrv('4.1')).toBeUndefined();
    expect(findSrv('')).toBeUndefined();
  });

  it.each([
    ['99.9', /unknown Service Reference Variant "99\.9"/],
    ['', /missing/],
  ])('rejects %j with INVALID_ARGUMENT', (value, message) => {
    let error: unknown;
    try {
      requireSrv(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DccError);
    expect((error as DccError).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((error as DccError).status).toBe(3);
    expect((error as DccError).message).toMatch(message);
  });
});
