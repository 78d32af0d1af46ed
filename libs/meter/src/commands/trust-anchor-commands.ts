import type { RemotePartyRole } from '@dcc/domain';
import { anchorFrom, installAnchor, REPLACEABLE_BY_SUPPLIER } from '../trust-anchors.js';
import { isRemotePartyRole } from '../security-credentials.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused } from './outcome.js';
import { Params } from './params.js';
import { certificate, pathFailure } from './certification-path.js';

const BASE64 = /^[A-Za-z0-9+/=]*$/;

export interface RemotePartyReplacementParams {
  remotePartyRole: RemotePartyRole;
  floorSeqNumber: string;
  /** '' unless the Supplier role. */
  topUpFloorSeqNumber: string;
  /** Certificates, X.509 DER as base64; the top-up one '' unless the Supplier role. */
  digitalSigningCertificate: string;
  keyAgreementCertificate: string;
  keyAgreementTopUpCertificate: string;
  certificationPathCertificates: string[];
  applyTimeBasedCpvChecks: boolean;
}
export interface RemotePartyCredentialsUpdatedReading {
  remotePartyRole: RemotePartyRole;
  meterTimeMs: number;
}

const FIELDS = [
  'remotePartyRole',
  'floorSeqNumber',
  'topUpFloorSeqNumber',
  'digitalSigningCertificate',
  'keyAgreementCertificate',
  'keyAgreementTopUpCertificate',
  'certificationPathCertificates',
  'applyTimeBasedCpvChecks',
] as const;

/**
 * 6.15.1 Update Security Credentials (KRP) (GBCS CS02b, CS02g). The command reached the device signed by the
 * supplier it trusts (a critical command); the device installs the party's new anchor only where that signature
 * is the authority GBCS requires (REPLACEABLE_BY_SUPPLIER), the certificates name the role of the slot, and
 * their certification path validates (with ApplyTimeBasedCPVChecks, at the device's time). Any refusal changes
 * nothing. The supplier's own anchor is named by the hub's key id in the model and replaced through 6.23 only.
 */
/** Why the supplier's signature cannot replace the role's anchor in the model, or undefined when it can. */
function signerRefusal(role: RemotePartyRole) {
  if (role === 'supplier') {
    return refused(
      'SIGNER_NOT_AUTHORISED',
      "the model names the supplier's signing anchor by the hub's key id, which a certificate does not carry: 6.23 replaces it",
    );
  }
  if (!REPLACEABLE_BY_SUPPLIER.includes(role)) {
    return refused(
      'SIGNER_NOT_AUTHORISED',
      `the ${role} anchor is replaced only on its own party's signature, not the supplier's`,
    );
  }
  return undefined;
}

export const updateSecurityCredentialsKrp: SrvHandler<
  RemotePartyReplacementParams,
  RemotePartyCredentialsUpdatedReading
> = {
  parse(raw) {
    const p = new Params('6.15.1', raw).only(...FIELDS);
    const role = p.raw('remotePartyRole');
    if (!isRemotePartyRole(role)) throw p.error('remotePartyRole must be a remote party role');
    const path = p.raw('certificationPathCertificates');
    if (
      !Array.isArray(path) ||
      path.length === 0 ||
      path.some((c) => typeof c !== 'string' || !BASE64.test(c))
    ) {
      throw p.error('certificationPathCertificates must be one or more base64 certificates');
    }
    const timeBased = p.raw('applyTimeBasedCpvChecks');
    if (typeof timeBased !== 'boolean') throw p.error('applyTimeBasedCpvChecks must be true or false');
    return {
      remotePartyRole: role,
      floorSeqNumber: p.string('floorSeqNumber', /^[0-9]{1,20}$/, 20),
      topUpFloorSeqNumber: p.string('topUpFloorSeqNumber', /^[0-9]{0,20}$/, 20),
      digitalSigningCertificate: p.string('digitalSigningCertificate', BASE64, 4_096),
      keyAgreementCertificate: p.string('keyAgreementCertificate', BASE64, 4_096),
      keyAgreementTopUpCertificate: p.string('keyAgreementTopUpCertificate', BASE64, 4_096),
      certificationPathCertificates: path as string[],
      applyTimeBasedCpvChecks: timeBased,
    };
  },
  // The signer's authority is known at receipt: a device future-dated one is refused then, not when it falls due.
  admit: (_ctx, params) => signerRefusal(params.remotePartyRole),
  execute(ctx, params) {
    const role = params.remotePartyRole;
    const notAuthorised = signerRefusal(role);
    if (notAuthorised) return notAuthorised;
    const anchor = anchorFrom(role, params.digitalSigningCertificate, params.keyAgreementCertificate);
    if (typeof anchor === 'string') return refused('CERTIFICATE_REJECTED', anchor);
    const path = params.certificationPathCertificates.map((c, i) =>
      certificate(c, '6.15.1', `CertificationPathCertificates[${i}]`),
    );
    const replacements = [
      certificate(params.digitalSigningCertificate, '6.15.1', 'DigitalSigningCertificate'),
      certificate(params.keyAgreementCertificate, '6.15.1', 'KeyAgreementCertificate'),
    ];
    for (const replacement of replacements) {
      const failure = pathFailure(ctx, replacement, path, params.applyTimeBasedCpvChecks);
      if (failure) return refused('CERTIFICATE_REJECTED', failure);
    }
    installAnchor(ctx.state, role, { ...anchor, floorSeqNumber: params.floorSeqNumber });
    return done({ remotePartyRole: role, meterTimeMs: meterTime(ctx) });
  },
};
