import {
  credentialSwapPayload,
  GrpcStatus,
  kaPublicKeyText,
  parseEui64,
  parseRequestId,
  requireSrv,
  type DccError,
} from '@dcc/domain';
import { UserRole, type ServiceRequest, type UpdateSecurityCredentials } from '@dcc/proto';
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CosParty } from './cos-party.js';
import type { User } from './user-directory.js';

const GAINING = parseEui64('90-B3-D5-1F-30-05-00-00');
const OTHER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = '00-DB-12-00-00-00-00-05';
const cosKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const cos = new CosParty(cosKeys.privateKey);
const topUpKey = kaPublicKeyText(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
const user: User = {
  id: GAINING,
  roles: ['IS'],
  signingKeys: [
    { keyId: 'A', publicKeyPem: 'unused here' },
    { keyId: 'B', publicKeyPem: 'unused here' },
  ],
  topUpKey,
};

function admitted(value: Partial<UpdateSecurityCredentials>, who: User = user, srv = '6.23') {
  const requestId = `${who.id}:${DEVICE}:0077`;
  const request: ServiceRequest = {
    requestId,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: {
      $case: 'updateSecurityCredentials',
      value: {
        supplierId: '',
        signingKeyId: 'B',
        topUpFloor: '0',
        cosSignature: Buffer.alloc(0),
        topUpKey: Buffer.alloc(0),
        ...value,
      },
    },
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

const swapOf = (request: ServiceRequest) =>
  request.body?.$case === 'updateSecurityCredentials' ? request.body.value : undefined;

describe('the CoS party (6.23)', () => {
  it('installs the sender’s own credentials, its registered top-up key included, and signs exactly that swap', () => {
    const out = swapOf(cos.authorise(admitted({ topUpFloor: '0042' })))!;
    expect(out).toMatchObject({ supplierId: GAINING, signingKeyId: 'B', topUpFloor: '42' });
    expect(Buffer.from(out.topUpKey).toString('base64')).toBe(topUpKey);
    const payload = credentialSwapPayload({
      deviceId: DEVICE,
      requestId: `${GAINING}:${DEVICE}:77`,
      supplierId: GAINING,
      keyId: 'B',
      topUpFloor: '42',
      topUpKey,
    });
    const key = cosKeys.publicKey;
    expect(verify('sha256', payload, { key, dsaEncoding: 'der' }, out.cosSignature)).toBe(true);
  });

  it('a body naming another party’s credentials is refused (INVALID_ARGUMENT): never installed', () => {
    const failure = refusal(() => cos.authorise(admitted({ supplierId: OTHER })));
    expect(failure?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(failure?.message).toMatch(/sender’s own credentials/);
  });

  it('a key id the sender has not registered is refused; none named picks its only key', () => {
    expect(refusal(() => cos.authorise(admitted({ signingKeyId: 'Z' })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => cos.authorise(admitted({ signingKeyId: '' })))?.message).toMatch(/name which/);
    const single: User = { ...user, signingKeys: [{ keyId: 'only', publicKeyPem: 'unused' }] };
    expect(swapOf(cos.authorise(admitted({ signingKeyId: '' }, single)))?.signingKeyId).toBe('only');
    const keyless: User = { id: GAINING, roles: ['IS'], topUpKey };
    expect(refusal(() => cos.authorise(admitted({ signingKeyId: '' }, keyless)))?.message).toMatch(
      /no registered signing key/,
    );
  });

  it('a User cannot bring a top-up key of its choosing; one with none registered cannot take a meter over', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const brought = refusal(() =>
      cos.authorise(admitted({ topUpKey: other.export({ type: 'spki', format: 'der' }) })),
    );
    expect(brought?.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(brought?.message).toMatch(/top_up_key is the hub/);
    const { topUpKey: _none, ...withoutTopUp } = user;
    const missing = refusal(() => cos.authorise(admitted({}, withoutTopUp)));
    expect(missing?.status).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(missing?.message).toMatch(/no registered prepayment top-up key/);
  });

  it('a User cannot bring its own CoS signature, nor a floor beyond 64 bits', () => {
    expect(refusal(() => cos.authorise(admitted({ cosSignature: Buffer.from([1]) })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(refusal(() => cos.authorise(admitted({ topUpFloor: (1n << 64n).toString() })))?.status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
  });

  it('without a CoS party key: FAILED_PRECONDITION', () => {
    expect(refusal(() => new CosParty(undefined).authorise(admitted({})))?.status).toBe(
      GrpcStatus.FAILED_PRECONDITION,
    );
  });

  it('leaves every other SRV alone', () => {
    const read = admitted({}, user, '4.1.1');
    expect(cos.authorise(read)).toBe(read.request);
  });
});
