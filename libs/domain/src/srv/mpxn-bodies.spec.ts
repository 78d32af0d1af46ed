import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';

const importMpxn = (value: Record<string, string>) => ({
  $case: 'setDeviceConfigurationImportMpxn',
  value: { importMpan: '', secondaryImportMpan: '', importMprn: '', ...value },
});
const refusal = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('MPxN and supplier name bodies are checked before I99 (6.20.1, 6.20.2, 3.4)', () => {
  it('6.20.1 takes an import MPAN (with a twin secondary) or an MPRN', () => {
    expect(() => checkRequestBody('6.20.1', importMpxn({ importMpan: '1312345678111' }))).not.toThrow();
    const twin = importMpxn({ importMpan: '1312345678111', secondaryImportMpan: '1312345678222' });
    expect(() => checkRequestBody('6.20.1', twin)).not.toThrow();
    expect(() => checkRequestBody('6.20.1', importMpxn({ importMprn: '1234567890' }))).not.toThrow();
  });

  it('6.20.1 refuses neither or both, a short MPAN, letters, and a secondary MPAN with an MPRN', () => {
    expect(refusal(() => checkRequestBody('6.20.1', importMpxn({})))).toMatch(
      /either importMpan or importMprn/,
    );
    const both = importMpxn({ importMpan: '1312345678111', importMprn: '1234567890' });
    expect(refusal(() => checkRequestBody('6.20.1', both))).toMatch(/either importMpan or importMprn/);
    expect(refusal(() => checkRequestBody('6.20.1', importMpxn({ importMpan: '131234567811' })))).toMatch(
      /importMpan is shorter than 13/,
    );
    expect(refusal(() => checkRequestBody('6.20.1', importMpxn({ importMprn: '12345A' })))).toMatch(
      /importMprn must be digits/,
    );
    const stray = importMpxn({ importMprn: '1234567890', secondaryImportMpan: '1312345678222' });
    expect(refusal(() => checkRequestBody('6.20.1', stray))).toMatch(
      /secondaryImportMpan goes with an importMpan/,
    );
  });

  it('6.20.2 and 3.4 refuse malformed values', () => {
    const exportMpan = { $case: 'setDeviceConfigurationExportMpan', value: { exportMpan: '13123456783331' } };
    expect(refusal(() => checkRequestBody('6.20.2', exportMpan))).toMatch(/exportMpan is longer than 13/);
    const name = {
      $case: 'updateSupplierName',
      value: { supplierName: 'A supplier with a long name', supplierTelephoneNumber: '0333 202 4650' },
    };
    expect(refusal(() => checkRequestBody('3.4', name))).toMatch(/supplierName is longer than 20/);
  });
});
