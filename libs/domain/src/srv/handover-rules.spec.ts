import { describe, expect, it } from 'vitest';
import type { DccError } from '../dcc-error.js';
import { GrpcStatus } from '../grpc-status.js';
import { checkRequestBody } from './srv-support.js';

const CERT = new Uint8Array([0x30, 0x82, 0x01, 0x00]);
const SUPPLIER = 1;
const NETWORK_OPERATOR = 2;
const valid = {
  remotePartyRole: SUPPLIER,
  remotePartyFloorSeqNumber: '0',
  remotePartyPrepaymentTopUpFloorSeqNumber: '0',
  replacementDigitalSigningCertificate: CERT,
  replacementKeyAgreementCertificate: CERT,
  replacementKeyAgreementTopUpCertificate: CERT,
  certificationPathCertificates: [CERT],
  applyTimeBasedCpvChecks: true,
};
const noTopUp = {
  ...valid,
  remotePartyPrepaymentTopUpFloorSeqNumber: '',
  replacementKeyAgreementTopUpCertificate: new Uint8Array(),
};

const check = (value: unknown) => () =>
  checkRequestBody('6.21', { $case: 'requestHandoverOfDccControlledDevice', value });

describe('6.21 body rules (before I99)', () => {
  it('accepts a Supplier handover with or without top-up credentials, and a Network Operator one without', () => {
    expect(check(valid)).not.toThrow();
    expect(check(noTopUp)).not.toThrow();
    expect(check({ ...noTopUp, remotePartyRole: NETWORK_OPERATOR })).not.toThrow();
  });

  const refused: [string, unknown, RegExp][] = [
    ['no role', { ...valid, remotePartyRole: 0 }, /remotePartyRole must be Supplier or NetworkOperator/],
    [
      'a floor beyond 64 bits',
      { ...valid, remotePartyFloorSeqNumber: '18446744073709551616' },
      /remotePartyFloorSeqNumber must be/,
    ],
    [
      'no signing certificate',
      { ...valid, replacementDigitalSigningCertificate: new Uint8Array() },
      /replacementDigitalSigningCertificate is missing/,
    ],
    [
      'a KA certificate not DER',
      { ...valid, replacementKeyAgreementCertificate: new Uint8Array([1, 2]) },
      /replacementKeyAgreementCertificate is not a DER/,
    ],
    [
      'top-up credentials for a network operator',
      { ...valid, remotePartyRole: NETWORK_OPERATOR },
      /top-up credentials are for a Supplier handover only/,
    ],
    [
      'a top-up floor without its certificate',
      { ...noTopUp, remotePartyPrepaymentTopUpFloorSeqNumber: '3' },
      /go together/,
    ],
    [
      'a bad top-up floor',
      { ...valid, remotePartyPrepaymentTopUpFloorSeqNumber: '-1' },
      /remotePartyPrepaymentTopUpFloorSeqNumber must be/,
    ],
    [
      'no certification path',
      { ...valid, certificationPathCertificates: [] },
      /certificationPathCertificates is missing/,
    ],
    [
      'a path too long',
      { ...valid, certificationPathCertificates: [CERT, CERT, CERT, CERT, CERT] },
      /more than 4/,
    ],
  ];
  for (const [name, body, message] of refused) {
    it(`refuses ${name} INVALID_ARGUMENT`, () => {
      let error: DccError | undefined;
      try {
        check(body)();
      } catch (e) {
        error = e as DccError;
      }
      expect(error?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error?.message).toMatch(message);
    });
  }
});
