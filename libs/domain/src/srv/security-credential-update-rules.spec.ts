import { describe, expect, it } from 'vitest';
import { firstViolation } from './body-rules.js';
import { deviceCertificateRules, remotePartyReplacementRules } from './security-credential-update-rules.js';

const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
// Wire numbers of SecurityRemotePartyRole (security_credentials_read.proto).
const SUPPLIER = 3;
const LOAD_CONTROLLER = 8;
const TRANS_COS = 6;

const loadController = {
  remotePartyRole: LOAD_CONTROLLER,
  remotePartyFloorSeqNumber: '0',
  remotePartyPrepaymentTopUpFloorSeqNumber: '',
  replacementCertificates: {
    digitalSigningCertificate: der,
    keyAgreementCertificate: der,
    keyAgreementTopUpCertificate: new Uint8Array(),
  },
  certificationPathCertificates: [der],
  applyTimeBasedCpvChecks: true,
};
const supplier = {
  ...loadController,
  remotePartyRole: SUPPLIER,
  remotePartyPrepaymentTopUpFloorSeqNumber: '0',
  replacementCertificates: { ...loadController.replacementCertificates, keyAgreementTopUpCertificate: der },
};
const check = (fields: object) => firstViolation(remotePartyReplacementRules, { ...fields });

describe('6.15.1 body rules', () => {
  it('takes DUIS-shaped replacements for the supplier and the load controller', () => {
    expect(check(loadController)).toBeUndefined();
    expect(check(supplier)).toBeUndefined();
    expect(check({ ...supplier, signingKeyId: '2' })).toBeUndefined();
  });

  it.each([
    ['a DCC-held role', { ...loadController, remotePartyRole: TRANS_COS }, /remotePartyRole must be/],
    [
      'a floor that is no u64',
      { ...loadController, remotePartyFloorSeqNumber: '-1' },
      /remotePartyFloorSeqNumber/,
    ],
    [
      'a supplier without its top-up certificate',
      { ...supplier, replacementCertificates: loadController.replacementCertificates },
      /needs remotePartyPrepaymentTopUpFloorSeqNumber and keyAgreementTopUpCertificate/,
    ],
    [
      'a top-up floor for another role',
      { ...loadController, remotePartyPrepaymentTopUpFloorSeqNumber: '1' },
      /only a Supplier replacement/,
    ],
    [
      'a signing key id for another role',
      { ...loadController, signingKeyId: '2' },
      /only a Supplier replacement names a signing_key_id/,
    ],
    [
      'a missing key agreement certificate',
      {
        ...loadController,
        replacementCertificates: {
          ...loadController.replacementCertificates,
          keyAgreementCertificate: new Uint8Array(),
        },
      },
      /needs keyAgreementCertificate/,
    ],
    [
      'no certification path',
      { ...loadController, certificationPathCertificates: [] },
      /certificationPathCertificates/,
    ],
  ])('refuses %s', (_what, fields, message) => {
    expect(check(fields)).toMatch(message);
  });
});

describe('6.15.2 body rules', () => {
  it('needs the device certificate', () => {
    expect(firstViolation(deviceCertificateRules, { deviceCertificate: der })).toBeUndefined();
    expect(firstViolation(deviceCertificateRules, { deviceCertificate: new Uint8Array() })).toBe(
      'deviceCertificate is missing',
    );
  });
});
