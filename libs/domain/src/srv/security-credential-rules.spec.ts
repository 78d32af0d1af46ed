import { describe, expect, it } from 'vitest';
import { certificationRequestPayload, subjectKeyIdentifier } from '../security-credentials.js';
import { checkRequestBody } from './srv-support.js';
import { firstViolation } from './body-rules.js';
import { credentialTypeRules, remotePartyRolesRules } from './security-credential-rules.js';

describe('6.17 and 6.24.2 bodies: CredentialType is required and one of DUIS values', () => {
  it.each([
    [{ credentialType: 1 }, undefined],
    [{ credentialType: 2 }, undefined],
    [{ credentialType: 0 }, /credentialType must be digitalSignature or keyAgreement/],
    [{ credentialType: 3 }, /credentialType must be digitalSignature or keyAgreement/],
    [{}, /credentialType must be/],
  ])('%j', (fields, why) => {
    const problem = firstViolation(credentialTypeRules, fields);
    if (why === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(why);
  });
});

describe('6.24.1 body: one or more RemotePartyRoles, each known and each once', () => {
  it.each([
    // DCC's CS02aMAC (Supplier, NetworkOperator) and CS02fMAC (Supplier, LoadController) samples.
    [{ remotePartyRoles: [3, 4] }, undefined],
    [{ remotePartyRoles: [3, 8] }, undefined],
    [{ remotePartyRoles: [1, 2, 3, 4, 5, 6, 7, 8] }, undefined],
    [{ remotePartyRoles: [] }, /remotePartyRoles must hold 1 to 8 entries/],
    [{}, /remotePartyRoles must hold 1 to 8 entries/],
    [{ remotePartyRoles: [0] }, /remotePartyRoles\[0\] must be root or recovery/],
    [{ remotePartyRoles: [3, 9] }, /remotePartyRoles\[1\] must be/],
    [{ remotePartyRoles: [3, 3] }, /remotePartyRoles must name each role once/],
  ])('%j', (fields, why) => {
    const problem = firstViolation(remotePartyRolesRules, fields);
    if (why === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(why);
  });
});

describe('the SRV table applies them before anything is stored', () => {
  it('refuses a bad body of each SRV with INVALID_ARGUMENT and takes a good one', () => {
    expect(() =>
      checkRequestBody('6.17', { $case: 'issueSecurityCredentials', value: { credentialType: 0 } }),
    ).toThrow(/credentialType/);
    expect(() =>
      checkRequestBody('6.24.2', {
        $case: 'retrieveDeviceSecurityCredentialsDevice',
        value: { credentialType: 7 },
      }),
    ).toThrow(/credentialType/);
    expect(() =>
      checkRequestBody('6.24.1', {
        $case: 'retrieveDeviceSecurityCredentialsKrp',
        value: { remotePartyRoles: [] },
      }),
    ).toThrow(/remotePartyRoles/);
    expect(() =>
      checkRequestBody('6.24.1', {
        $case: 'retrieveDeviceSecurityCredentialsKrp',
        value: { remotePartyRoles: [3, 4] },
      }),
    ).not.toThrow();
    expect(() => checkRequestBody('6.17', undefined)).toThrow(/needs its parameters/);
  });
});

describe('security credential vocabulary', () => {
  it('names a key by the first 8 octets of SHA-256 over its SPKI, and binds a certification request to its fields', () => {
    expect(subjectKeyIdentifier(new Uint8Array([1, 2, 3]))).toBe('039058C6F2C0CB49');
    const key = new Uint8Array([9, 9]);
    const a = certificationRequestPayload('00-DB-12-34-56-78-90-A0', 'digitalSignature', key);
    const b = certificationRequestPayload('00-DB-12-34-56-78-90-A0', 'keyAgreement', key);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
