import type { CredentialType, RemotePartyRole } from '@dcc/domain';
import {
  currentKeyPair,
  isCredentialType,
  isRemotePartyRole,
  issueKeyPair,
  remotePartyDetails,
  type CertificationRequest,
  type RemotePartyDetails,
} from '../security-credentials.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused } from './outcome.js';
import { Params } from './params.js';
import { certifiedKey, installDeviceCertificate } from '../device-certificate.js';

export interface CredentialTypeParams {
  credentialType: CredentialType;
}
export interface RemotePartyRolesParams {
  remotePartyRoles: RemotePartyRole[];
}
export type CertificationRequestReading = CertificationRequest & { meterTimeMs: number };
export interface RemotePartyCredentialsReading {
  parties: RemotePartyDetails[];
  meterTimeMs: number;
}
export interface DeviceCertificateParams {
  /** The Device Certificate, X.509 DER as base64. */
  deviceCertificate: string;
}
export interface DeviceCertificateReading {
  deviceId: string;
  credentialType: CredentialType;
  /** Base64 SubjectPublicKeyInfo DER of the certified key. */
  publicKey: string;
  meterTimeMs: number;
}

function credentialTypeParams(srv: string, raw: unknown): CredentialTypeParams {
  const p = new Params(srv, raw).only('credentialType');
  const value = p.raw('credentialType');
  if (!isCredentialType(value)) throw p.error('credentialType must be digitalSignature or keyAgreement');
  return { credentialType: value };
}

/**
 * 6.17 Issue Security Credentials (GBCS CS02c): the device generates a new key pair of the usage and answers
 * its certification request; the pair stays pending until its certificate is installed (6.15.2). A device
 * provisioned without keys cannot generate one (GBCS response "Key Pair Generation Failed").
 */
export const issueSecurityCredentials: SrvHandler<CredentialTypeParams, CertificationRequestReading> = {
  parse: (raw) => credentialTypeParams('6.17', raw),
  execute(ctx, { credentialType }) {
    const request = issueKeyPair(ctx.state, ctx.device, credentialType);
    if (!request) {
      return refused(
        'KEY_PAIR_GENERATION_FAILED',
        'the device was provisioned without keys: key pair generation failed',
      );
    }
    return done({ ...request, meterTimeMs: meterTime(ctx) });
  },
};

/**
 * 6.24.1 Retrieve Device Security Credentials (KRP) (GBCS CS02a): per remote party asked for, its trust anchor
 * cells and current sequence number, or that the device holds none for it.
 */
export const retrieveDeviceSecurityCredentialsKrp: SrvHandler<
  RemotePartyRolesParams,
  RemotePartyCredentialsReading
> = {
  parse(raw) {
    const p = new Params('6.24.1', raw).only('remotePartyRoles');
    const roles = p.raw('remotePartyRoles');
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRemotePartyRole)) {
      throw p.error('remotePartyRoles must list one or more remote party roles');
    }
    if (new Set(roles).size !== roles.length) throw p.error('remotePartyRoles must name each role once');
    return { remotePartyRoles: [...roles] };
  },
  execute: (ctx, { remotePartyRoles }) =>
    done({
      parties: remotePartyDetails(ctx.state, ctx.device, remotePartyRoles),
      meterTimeMs: meterTime(ctx),
    }),
};

/**
 * 6.24.2 Retrieve Device Security Credentials (Device) (GBCS CS02e): the device's certificate of the usage (its
 * current key pair's), or "No Certificate Held" when it was provisioned without keys.
 */
export const retrieveDeviceSecurityCredentialsDevice: SrvHandler<
  CredentialTypeParams,
  DeviceCertificateReading
> = {
  parse: (raw) => credentialTypeParams('6.24.2', raw),
  execute(ctx, { credentialType }) {
    const pair = currentKeyPair(ctx.state, ctx.device, credentialType);
    if (!pair) return refused('NO_CERTIFICATE_HELD', `the device holds no ${credentialType} certificate`);
    return done({
      deviceId: ctx.device.deviceId,
      credentialType,
      publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      meterTimeMs: meterTime(ctx),
    });
  },
};

/**
 * 6.15.2 Update Security Credentials (Device) (GBCS CS02d): the device installs the certificate for a key pair
 * it generated on a 6.17; a certificate for any other key is refused and changes nothing.
 */
export const updateSecurityCredentialsDevice: SrvHandler<DeviceCertificateParams, DeviceCertificateReading> =
  {
    parse(raw) {
      const p = new Params('6.15.2', raw).only('deviceCertificate');
      const value = p.raw('deviceCertificate');
      if (typeof value !== 'string' || value === '') throw p.error('deviceCertificate must be base64 DER');
      return { deviceCertificate: value };
    },
    execute(ctx, { deviceCertificate }) {
      const key = certifiedKey(Buffer.from(deviceCertificate, 'base64'));
      if (!key) return refused('CERTIFICATE_REJECTED', 'the device certificate is not an X.509 certificate');
      const usage = installDeviceCertificate(ctx.state, ctx.device, key);
      if (!usage) {
        return refused(
          'NO_PENDING_KEY_PAIR',
          'the certificate certifies no key pair the device generated on a 6.17 and awaits a certificate for',
        );
      }
      return done({
        deviceId: ctx.device.deviceId,
        credentialType: usage,
        publicKey: key,
        meterTimeMs: meterTime(ctx),
      });
    },
  };
