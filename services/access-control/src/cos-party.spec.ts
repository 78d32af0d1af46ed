import {
  credentialSwapPayload,
  GrpcStatus,
  kaPublicKeyText,
  parseEui64,
  parseRequestId,
  requireSrv,
  type DccError,
} from '@dcc/domain';
import {
  commonValidity,
  createOrganisationCertificate,
  createSigningKeyPair,
  createSupplierCertificates,
  type SupplierCertificateSet,
} from '@dcc/pki';
import { UserRole, type ServiceRequest, type UpdateSecurityCredentials } from '@dcc/proto';
import { generateKeyPairSync, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CosParty } from './cos-party.js';
import type { User } from './user-directory.js';

const GAINING = parseEui64('90-B3-D5-1F-30-05-00-00');
const OTHER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = '00-DB-12-00-00-00-00-05';
const cosKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const cos = new CosParty(cosKeys.privateKey);
const topUpPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const topUpKey = kaPublicKeyText(topUpPair.publicKey);
const MPXN = '1000000002117';
let user: User;
/** The gaining supplier's own certificates: its key "B" and its registered top-up key. */
let certificates: SupplierCertificateSet;

beforeAll(async () => {
  const [a, b] = [await createSigningKeyPair('A'), await createSigningKeyPair('B')];
  user = {
    id: GAINING,
    roles: ['IS'],
    signingKeys: [
      { keyId: 'A', publicKeyPem: a.publicKeyPem },
      { keyId: 'B', publicKeyPem: b.publicKeyPem },
    ],
    topUpKey,
  };
  certificates = await createSupplierCertificates({
    supplierId: GAINING,
    signingKeyPem: b.publicKeyPem,
    topUpKeyPem: topUpPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
});

function admitted(value: Partial<UpdateSecurityCredentials>, who: User = user, srv = '6.23') {
  const full: UpdateSecurityCredentials = {
    supplierId: '',
    signingKeyId: 'B',
    topUpFloor: '0',
    cosSignature: Buffer.alloc(0),
    topUpKey: Buffer.alloc(0),
    supplierFloorSeqNumber: '0',
    ...certificates,
    applyTimeBasedCpvChecks: false,
    importMpxn: MPXN,
    ...value,
  };
  const requestId = `${who.id}:${DEVICE}:0077`;
  const request: ServiceRequest = {
    requestId,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'updateSecurityCredentials', value: full },
  };
  return { request, id: parseRequestId(requestId), user: who, srv: requireSrv(srv) };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return { status: (error as DccError).status, message: (error as Error).message };
  }
  return undefined;
};

const authorise = (a: ReturnType<typeof admitted>) => cos.authorise(a, MPXN);

const swapOf = (request: ServiceRequest) =>
  request.body?.$case === 'updateSecurityCredentials' ? request.body.value : undefined;

describe('the CoS party (6.23)', () => {
  it('installs the sender’s own credentials, its registered top-up key included, and signs exactly that swap', () => {
    const out = swapOf(authorise(admitted({ topUpFloor: '0042', supplierFloorSeqNumber: '0900' })))!;
    expect(out).toMatchObject({
      supplierId: GAINING,
      signingKeyId: 'B',
      topUpFloor: '42',
      supplierFloorSeqNumber: '900',
    });
    expect(Buffer.from(out.topUpKey).toString('base64')).toBe(topUpKey);
    const payload = credentialSwapPayload({
      deviceId: DEVICE,
      requestId: `${GAINING}:${DEVICE}:77`,
      supplierId: GAINING,
      keyId: 'B',
      topUpFloor: '42',
      topUpKey,
      supplierFloor: '900',
      validity: '',
    });
    const key = cosKeys.publicKey;
    expect(verify('sha256', payload, { key, dsaEncoding: 'der' }, out.cosSignature)).toBe(true);
  });

  it('a body naming another party’s credentials is refused (INVALID_ARGUMENT): never installed', () => {
    const failure = refusal(() => authorise(admitted({ supplierId: OTHER })));
    expect(failure?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(failure?.message).toMatch(/sender’s own credentials/);
  });

  it('the digital signing certificate names the key: a different key id, or a key not registered, is refused', async () => {
    expect(swapOf(authorise(admitted({ signingKeyId: '' })))?.signingKeyId).toBe('B');
    expect(refusal(() => authorise(admitted({ signingKeyId: 'A' })))?.message).toMatch(/not the key/);
    const stranger = await createSigningKeyPair('X');
    const unregistered = await createOrganisationCertificate({
      entityId: GAINING,
      roleCode: '02',
      keyUsage: 'digitalSignature',
      publicKeyPem: stranger.publicKeyPem,
    });
    const refused = refusal(() =>
      authorise(admitted({ digitalSigningCertificate: unregistered.certificate })),
    );
    expect(refused?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(refused?.message).toMatch(/none of .* registered signing keys/);
  });

  it('certificates of another party, another role or another use are refused (INVALID_ARGUMENT)', async () => {
    const others = await createSupplierCertificates({
      supplierId: OTHER,
      signingKeyPem: user.signingKeys![1]!.publicKeyPem,
      topUpKeyPem: topUpPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    for (const field of [
      'digitalSigningCertificate',
      'keyAgreementCertificate',
      'keyAgreementTopUpCertificate',
    ] as const) {
      const failure = refusal(() => authorise(admitted({ [field]: others[field] })));
      expect(failure?.status, field).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(failure?.message, field).toMatch(new RegExp(`is for ${OTHER}, not the sender`));
    }
    const asNetworkOperator = await createOrganisationCertificate({
      entityId: GAINING,
      roleCode: '03',
      keyUsage: 'keyAgreement',
      publicKeyPem: topUpPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(
      refusal(() => authorise(admitted({ keyAgreementCertificate: asNetworkOperator.certificate })))?.message,
    ).toMatch(/role 03, not Supplier/);
    expect(
      refusal(() => authorise(admitted({ keyAgreementCertificate: certificates.digitalSigningCertificate })))
        ?.message,
    ).toMatch(/not for keyAgreement/);
    const wrongTopUp = refusal(() =>
      authorise(admitted({ keyAgreementTopUpCertificate: certificates.keyAgreementCertificate })),
    );
    expect(wrongTopUp?.message).toMatch(/does not certify .* registered top-up key/);
    expect(refusal(() => authorise(admitted({ certificationPathCertificates: [] })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => authorise(admitted({ keyAgreementCertificate: Buffer.alloc(0) })))?.message).toMatch(
      /missing/,
    );
  });

  it('ImportMPxN must be the point registration holds for the device', () => {
    const failure = refusal(() => authorise(admitted({ importMpxn: '1312345678333' })));
    expect(failure?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(failure?.message).toMatch(/not the point registration holds/);
  });

  it('with time-based checks asked for, the swap signs the window the certificates are valid in', () => {
    const out = swapOf(authorise(admitted({ applyTimeBasedCpvChecks: true })))!;
    const validity = commonValidity(
      [
        certificates.digitalSigningCertificate,
        certificates.keyAgreementCertificate,
        certificates.keyAgreementTopUpCertificate,
      ],
      'test',
    );
    expect(validity).toMatch(/^[0-9]+-[0-9]+$/);
    const payload = credentialSwapPayload({
      deviceId: DEVICE,
      requestId: `${GAINING}:${DEVICE}:77`,
      supplierId: GAINING,
      keyId: 'B',
      topUpFloor: '0',
      topUpKey,
      supplierFloor: '0',
      validity,
    });
    const key = cosKeys.publicKey;
    expect(verify('sha256', payload, { key, dsaEncoding: 'der' }, out.cosSignature)).toBe(true);
  });

  it('a User cannot bring a top-up key of its choosing; one with none registered cannot take a meter over', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const brought = refusal(() =>
      authorise(admitted({ topUpKey: other.export({ type: 'spki', format: 'der' }) })),
    );
    expect(brought?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(brought?.message).toMatch(/top_up_key is the hub/);
    const { topUpKey: _none, ...withoutTopUp } = user;
    const missing = refusal(() => authorise(admitted({}, withoutTopUp)));
    expect(missing?.status).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(missing?.message).toMatch(/no registered prepayment top-up key/);
  });

  it('a User cannot bring its own CoS signature, nor a floor beyond 64 bits', () => {
    expect(refusal(() => authorise(admitted({ cosSignature: Buffer.from([1]) })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => authorise(admitted({ topUpFloor: (1n << 64n).toString() })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => authorise(admitted({ supplierFloorSeqNumber: '-1' })))?.message).toMatch(
      /supplier_floor_seq_number must be/,
    );
  });

  it('without a CoS party key: FAILED_PRECONDITION', () => {
    expect(refusal(() => new CosParty(undefined).authorise(admitted({}), MPXN))?.status).toBe(
      GrpcStatus.FAILED_PRECONDITION,
    );
  });

  it('leaves every other SRV alone', () => {
    const read = admitted({}, user, '4.1.1');
    expect(cos.authorise(read, MPXN)).toBe(read.request);
  });
});
