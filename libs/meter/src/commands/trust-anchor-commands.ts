import type { RemotePartyRole } from '@dcc/domain';
import { anchorFrom, installAnchor, REPLACEABLE_BY_SUPPLIER } from '../trust-anchors.js';
import { installSupplierCredentials, trustedSupplier } from '../credentials.js';
import { isRemotePartyRole } from '../security-credentials.js';
import { supplierAnchorFrom } from '../supplier-anchor.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import { certificate, counterFloor, pathFailure } from './certification-path.js';

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
  /**
   * The Supplier role only (absent otherwise): the hub's id of the sender's registered key the digital signing
   * certificate certifies (access control resolves it), under which the device will verify its commands.
   */
  signingKeyId?: string;
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
  'signingKeyId',
] as const;

/**
 * 6.15.1 Update Security Credentials (KRP) (GBCS CS02b, CS02g). The command reached the device signed by the
 * supplier it trusts (a critical command); the device installs the party's new anchor only where that signature
 * is the authority GBCS requires (the supplier's own anchor, CS02b, and REPLACEABLE_BY_SUPPLIER), the
 * certificates name the role of the slot, and their certification path validates (with ApplyTimeBasedCPVChecks,
 * at the device's time). The supplier's own anchor is its signing key (named by the hub's key id the command
 * carries), its top-up key and its counter floors (supplier-anchor.ts); from then on the device verifies the
 * supplier's critical commands against the new key only. Any refusal changes nothing.
 */
/** Why the supplier's signature cannot replace the role's anchor, or undefined when it can. */
function signerRefusal(role: RemotePartyRole) {
  if (role !== 'supplier' && !REPLACEABLE_BY_SUPPLIER.includes(role)) {
    return refused(
      'SIGNER_NOT_AUTHORISED',
      `the ${role} anchor is replaced only on its own party's signature, not the supplier's`,
    );
  }
  return undefined;
}

/** CS02b supplierBySupplier: the supplier's own credentials replaced, once the certification path holds. */
function replaceOwnSupplierAnchor(ctx: ExecContext, params: RemotePartyReplacementParams) {
  const supplier = supplierAnchorFrom(
    {
      signing: params.digitalSigningCertificate,
      keyAgreement: params.keyAgreementCertificate,
      topUp: params.keyAgreementTopUpCertificate,
    },
    params.signingKeyId!,
    trustedSupplier(ctx.state, ctx.device),
  );
  if (typeof supplier === 'string') return refused('CERTIFICATE_REJECTED', supplier);
  const failure = pathFailureOf(ctx, params);
  if (failure) return refused('CERTIFICATE_REJECTED', failure);
  installSupplierCredentials(ctx.state, ctx.device, supplier, {
    topUpFloor: params.topUpFloorSeqNumber,
    supplierFloor: params.floorSeqNumber,
  });
  return done({ remotePartyRole: params.remotePartyRole, meterTimeMs: meterTime(ctx) });
}

/** The first replacement certificate whose certification path fails, and why; undefined when all hold. */
function pathFailureOf(ctx: ExecContext, params: RemotePartyReplacementParams): string | undefined {
  const path = params.certificationPathCertificates.map((c, i) =>
    certificate(c, '6.15.1', `CertificationPathCertificates[${i}]`),
  );
  const replacements = [
    certificate(params.digitalSigningCertificate, '6.15.1', 'DigitalSigningCertificate'),
    certificate(params.keyAgreementCertificate, '6.15.1', 'KeyAgreementCertificate'),
    ...(params.keyAgreementTopUpCertificate === ''
      ? []
      : [certificate(params.keyAgreementTopUpCertificate, '6.15.1', 'KeyAgreementTopUpCertificate')]),
  ];
  for (const replacement of replacements) {
    const failure = pathFailure(ctx, replacement, path, params.applyTimeBasedCpvChecks);
    if (failure) return failure;
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
    const params: RemotePartyReplacementParams = {
      remotePartyRole: role,
      floorSeqNumber: counterFloor(p, 'floorSeqNumber'),
      topUpFloorSeqNumber: p.string('topUpFloorSeqNumber', /^[0-9]{0,20}$/, 20),
      digitalSigningCertificate: p.string('digitalSigningCertificate', BASE64, 4_096),
      keyAgreementCertificate: p.string('keyAgreementCertificate', BASE64, 4_096),
      keyAgreementTopUpCertificate: p.string('keyAgreementTopUpCertificate', BASE64, 4_096),
      certificationPathCertificates: path as string[],
      applyTimeBasedCpvChecks: timeBased,
    };
    if (role !== 'supplier') {
      if (p.has('signingKeyId')) throw p.error('only the Supplier role names a signingKeyId');
      return params;
    }
    // The supplier's own anchor: the hub names its key, and the top-up key and floor come with it.
    if (params.keyAgreementTopUpCertificate === '') {
      throw p.error('a Supplier replacement needs keyAgreementTopUpCertificate');
    }
    return {
      ...params,
      topUpFloorSeqNumber: counterFloor(p, 'topUpFloorSeqNumber'),
      signingKeyId: p.string('signingKeyId', /^[\x21-\x7E]+$/, 64),
    };
  },
  // The signer's authority is known at receipt: a device future-dated one is refused then, not when it falls due.
  admit: (_ctx, params) => signerRefusal(params.remotePartyRole),
  execute(ctx, params) {
    const role = params.remotePartyRole;
    const notAuthorised = signerRefusal(role);
    if (notAuthorised) return notAuthorised;
    if (role === 'supplier') return replaceOwnSupplierAnchor(ctx, params);
    const anchor = anchorFrom(role, params.digitalSigningCertificate, params.keyAgreementCertificate);
    if (typeof anchor === 'string') return refused('CERTIFICATE_REJECTED', anchor);
    const failure = pathFailureOf(ctx, params);
    if (failure) return refused('CERTIFICATE_REJECTED', failure);
    installAnchor(ctx.state, role, { ...anchor, floorSeqNumber: params.floorSeqNumber });
    return done({ remotePartyRole: role, meterTimeMs: meterTime(ctx) });
  },
};
