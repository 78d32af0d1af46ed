import { generateKeyPairSync, sign } from 'node:crypto';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { MeterDevice } from '@dcc/meter';
import { PreCommand, PreCommandContent, UserRole, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { SupplierKeys, verifyCriticalCommand, type TrustingDevice } from './critical-verification.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = parseEui64('00-DB-12-00-00-00-00-07');
const trustedKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = trustedKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const keys = SupplierKeys.fromUsersConfig(
  JSON.stringify([{ id: SUPPLIER, roles: ['IS'], signingKeys: [{ keyId: '1', publicKeyPem: pem }] }]),
);
const meter: TrustingDevice = {
  deviceId: DEVICE,
  trusted: new MeterDevice(DEVICE, 0, () => Date.UTC(2026, 2, 2)).profile.trustedSupplier,
};
const requestId = `${SUPPLIER}:${DEVICE}:10`;

function signed(key = trustedKey, content: Partial<PreCommandContent> = {}): ServiceRequest {
  const preCommand = Buffer.from(
    PreCommand.encode({
      content: Buffer.from(
        PreCommandContent.encode({
          formatVersion: 1,
          requestId,
          serviceReferenceVariant: '7.2',
          deviceId: DEVICE,
          userId: SUPPLIER,
          request: undefined,
          nonce: Buffer.alloc(16),
          issuedAtMs: 0,
          expiresAtMs: 0,
          ...content,
        }).finish(),
      ),
      hubMac: Buffer.alloc(32),
    }).finish(),
  );
  return {
    requestId,
    commandVariant: 5,
    serviceReferenceVariant: '7.2',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: undefined,
    signedPreCommand: {
      preCommand,
      signature: sign('sha256', preCommand, { key: key.privateKey, dsaEncoding: 'der' }),
      keyId: '1',
    },
  };
}

const status = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as DccError).status;
  }
  return 'accepted';
};

describe('the meter actor’s check of a critical command', () => {
  it('accepts a signature by the key the meter trusts, with that supplier as the signer', () => {
    expect(verifyCriticalCommand(meter, signed(), keys).signer).toEqual({ supplierId: SUPPLIER, keyId: '1' });
  });

  it('refuses another key, tampered bytes, an unsigned command, and a key it does not hold', () => {
    expect(status(() => verifyCriticalCommand(meter, signed(otherKey), keys))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    const tampered = signed();
    tampered.signedPreCommand!.preCommand[tampered.signedPreCommand!.preCommand.length - 1]! ^= 1;
    expect(status(() => verifyCriticalCommand(meter, tampered, keys))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(
      status(() => verifyCriticalCommand(meter, { ...signed(), signedPreCommand: undefined }, keys)),
    ).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(status(() => verifyCriticalCommand(meter, signed(), new SupplierKeys()))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  });

  it('refuses a pre-command for another request (INVALID_ARGUMENT); non-critical SRVs pass through', () => {
    expect(
      status(() =>
        verifyCriticalCommand(meter, signed(trustedKey, { serviceReferenceVariant: '7.1' }), keys),
      ),
    ).toBe(GrpcStatus.INVALID_ARGUMENT);
    const read = { ...signed(), serviceReferenceVariant: '7.4', signedPreCommand: undefined };
    expect(verifyCriticalCommand(meter, read, keys)).toEqual({ request: read });
  });

  it('verifies with the signing key the meter installed (6.15.1), which the configured keys need not hold', () => {
    const spki = otherKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const rolled: TrustingDevice = { deviceId: DEVICE, trusted: { ...meter.trusted, signingKey: spki } };
    expect(verifyCriticalCommand(rolled, signed(otherKey), keys).signer).toEqual({
      supplierId: SUPPLIER,
      keyId: meter.trusted.keyId,
    });
    // the key it replaced no longer verifies, though the configured keys still hold it under the same id
    expect(status(() => verifyCriticalCommand(rolled, signed(trustedKey), keys))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  });
});
