import { GrpcStatus, parseEui64, requireSrv, type DccError } from '@dcc/domain';
import { createSigningKeyPair, createSupplierCertificates, type SupplierCertificateSet } from '@dcc/pki';
import {
  SecurityRemotePartyRole,
  UserRole,
  type ServiceRequest,
  type UpdateSecurityCredentialsKrp,
} from '@dcc/proto';
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { withSupplierSigningKey } from './supplier-anchor.js';
import type { User } from './user-directory.js';

const SUPPLIER = parseEui64('90-B3-D5-1F-30-01-00-00');
const OTHER = parseEui64('90-B3-D5-1F-30-05-00-00');
const pem = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
const topUpKeyPem = pem();
let user: User;
/** The supplier's own certificates for its registered key "2". */
let own: SupplierCertificateSet;

beforeAll(async () => {
  const [one, two] = [await createSigningKeyPair('1'), await createSigningKeyPair('2')];
  user = {
    id: SUPPLIER,
    roles: ['IS', 'GS'],
    signingKeys: [
      { keyId: '1', publicKeyPem: one.publicKeyPem },
      { keyId: '2', publicKeyPem: two.publicKeyPem },
    ],
  };
  own = await createSupplierCertificates({
    supplierId: SUPPLIER,
    signingKeyPem: two.publicKeyPem,
    topUpKeyPem,
  });
});

function admitted(
  certificates: SupplierCertificateSet,
  value: Partial<UpdateSecurityCredentialsKrp> = {},
  userRole = UserRole.USER_ROLE_IMPORT_SUPPLIER,
) {
  const { certificationPathCertificates, ...replacementCertificates } = certificates;
  const body: UpdateSecurityCredentialsKrp = {
    remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER,
    remotePartyFloorSeqNumber: '0',
    remotePartyPrepaymentTopUpFloorSeqNumber: '0',
    replacementCertificates,
    certificationPathCertificates,
    applyTimeBasedCpvChecks: false,
    signingKeyId: '',
    ...value,
  };
  const request: ServiceRequest = {
    requestId: `${SUPPLIER}:00-DB-12-00-00-00-00-08:7`,
    commandVariant: 5,
    serviceReferenceVariant: '6.15.1',
    userRole,
    body: { $case: 'updateSecurityCredentialsKrp', value: body },
  };
  return { request, user, srv: requireSrv('6.15.1') };
}

const keyOf = (request: ServiceRequest) =>
  request.body?.$case === 'updateSecurityCredentialsKrp' ? request.body.value.signingKeyId : undefined;

function refusal(fn: () => unknown): DccError {
  try {
    fn();
  } catch (error) {
    return error as DccError;
  }
  throw new Error('not refused');
}

describe('6.15.1 Supplier role: the supplier replaces its own anchor', () => {
  it('names the registered key the digital signing certificate certifies; a User may name the same key', () => {
    expect(keyOf(withSupplierSigningKey(admitted(own)))).toBe('2');
    expect(keyOf(withSupplierSigningKey(admitted(own, { signingKeyId: '2' })))).toBe('2');
  });

  it('refuses, INVALID_ARGUMENT, another party’s certificates, an unregistered key, another key named, or a non-supplier sender', async () => {
    const foreign = await createSupplierCertificates({
      supplierId: OTHER,
      signingKeyPem: user.signingKeys![1]!.publicKeyPem,
      topUpKeyPem,
    });
    const unregistered = await createSupplierCertificates({
      supplierId: SUPPLIER,
      signingKeyPem: pem(),
      topUpKeyPem,
    });
    const cases = [
      [admitted(foreign), /is for 90-B3-D5-1F-30-05-00-00, not the sender 90-B3-D5-1F-30-01-00-00/],
      [admitted(unregistered), /certifies none of 90-B3-D5-1F-30-01-00-00’s registered signing keys/],
      [admitted(own, { signingKeyId: '1' }), /signing_key_id 1 is not the key .* certifies \(2\)/],
      [
        admitted({ ...own, keyAgreementTopUpCertificate: own.digitalSigningCertificate }),
        /key agreement top-up certificate is not for keyAgreement/,
      ],
      [admitted(own, {}, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR), /only the supplier replaces/],
    ] as const;
    for (const [request, message] of cases) {
      const error = refusal(() => withSupplierSigningKey(request));
      expect(error.status, String(message)).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a top-up certificate for another key than the sender’s registered top-up key', () => {
    const withTopUp = { ...user, topUpKey: pem() };
    const error = refusal(() => withSupplierSigningKey({ ...admitted(own), user: withTopUp }));
    expect(error.message).toMatch(/does not certify 90-B3-D5-1F-30-01-00-00’s registered top-up key/);
  });

  it('leaves other roles and other SRVs unchanged: the device judges them', () => {
    const loadController = admitted(own, {
      remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_LOAD_CONTROLLER,
    });
    expect(withSupplierSigningKey(loadController)).toBe(loadController.request);
    const other = { ...admitted(own), srv: requireSrv('6.15.2') };
    expect(withSupplierSigningKey(other)).toBe(other.request);
  });
});
