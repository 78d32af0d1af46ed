import { createHash } from 'node:crypto';
import type { UserRoleCode } from '@dcc/domain';
import { BASE64, certificate, counterFloor, pathFailure, pathParams } from './certification-path.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused } from './outcome.js';
import { Params } from './params.js';
import type { DeviceHandedOverReading, HandoverParams, HandoverRole } from './types.js';
import type { MeterState } from '../meter-state.js';

/**
 * Which device types hold a trust anchor for the role (GBCS Remote Party credentials; inferred from GBCS's
 * device security credentials tables): the gas network operator's sit on the GPF, not the GSME; HAN devices
 * without a WAN-facing party (PPMID, HCALCS, IHD) and the comms hub hold neither a supplier's nor a network
 * operator's that a User could hand over.
 */
const HOLDERS: Record<HandoverRole, readonly string[]> = {
  supplier: ['ESME', 'GSME', 'GPF'],
  networkOperator: ['ESME', 'GPF'],
};

/** The DUIS User roles whose commands a role's trust anchor authenticates. */
const SIGNERS: Record<HandoverRole, readonly UserRoleCode[]> = {
  supplier: ['IS', 'ES', 'GS', 'RSA'],
  networkOperator: ['ED', 'GT'],
};

/**
 * After a handover the device authenticates that role's commands against the new party's certificates, which no
 * DCC User holds: an SRV whose every eligible role is a handed-over party's can no longer be executed for the DCC.
 */
export function handedOverFrom(state: MeterState, roles: readonly UserRoleCode[]): HandoverRole | undefined {
  const gone = (Object.keys(state.handedOver) as HandoverRole[]).filter((r) => state.handedOver[r]);
  if (gone.length === 0 || roles.length === 0) return undefined;
  const owner = gone.find((r) => SIGNERS[r].some((s) => roles.includes(s)));
  return roles.every((role) => gone.some((r) => SIGNERS[r].includes(role))) ? owner : undefined;
}

const sha256 = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

const replacements = (params: HandoverParams) =>
  (
    [
      ['DigitalSigningCertificate', params.signingCertificate],
      ['KeyAgreementCertificate', params.keyAgreementCertificate],
      ['KeyAgreementTopUpCertificate', params.topUpCertificate],
    ] as const
  ).flatMap(([name, c]) => (c === undefined ? [] : [certificate(c, '6.21', name)]));

/**
 * 6.21 Request Handover Of DCC Controlled Device (GBCS CS02b, Supplier by Supplier or Network Operator by Network
 * Operator): the role's trust anchors on the device are replaced by those of a party outside the DCC, after the
 * device validated each replacement certificate's path (CERTIFICATE_REJECTED otherwise, nothing changed). A device
 * type that holds no trust anchor for the role refuses it (NO_SUCH_TRUST_ANCHOR). From then on the device refuses
 * the DCC's commands that only that role may send (HANDED_OVER, meter-device.ts).
 */
export const requestHandover: SrvHandler<HandoverParams, DeviceHandedOverReading> = {
  parse(raw) {
    const p = new Params('6.21', raw).only(
      'role',
      'floorSeq',
      'topUpFloorSeq',
      'signingCertificate',
      'keyAgreementCertificate',
      'topUpCertificate',
      'certificationPath',
      'timeBasedChecks',
    );
    const role = p.raw('role');
    if (role !== 'supplier' && role !== 'networkOperator') {
      throw p.error('role must be supplier or networkOperator');
    }
    const topUp = p.raw('topUpCertificate') !== undefined || p.raw('topUpFloorSeq') !== undefined;
    if (topUp && role !== 'supplier') throw p.error('top-up credentials are a supplier handover only');
    return {
      role,
      floorSeq: counterFloor(p, 'floorSeq'),
      ...(topUp
        ? {
            topUpFloorSeq: counterFloor(p, 'topUpFloorSeq'),
            topUpCertificate: p.string('topUpCertificate', BASE64, 4_096),
          }
        : {}),
      signingCertificate: p.string('signingCertificate', BASE64, 4_096),
      keyAgreementCertificate: p.string('keyAgreementCertificate', BASE64, 4_096),
      ...pathParams(p),
    };
  },
  validate(_ctx, params) {
    // Malformed certificates are the command's fault (INVALID_ARGUMENT), before anything changes.
    replacements(params);
    params.certificationPath.forEach((c, i) => certificate(c, '6.21', `CertificationPathCertificates[${i}]`));
  },
  execute(ctx, params) {
    if (!HOLDERS[params.role].includes(ctx.device.profile.deviceType)) {
      return refused(
        'NO_SUCH_TRUST_ANCHOR',
        `a ${ctx.device.profile.deviceType} holds no ${params.role} trust anchor`,
      );
    }
    const path = params.certificationPath.map((c, i) => certificate(c, '6.21', `path ${i}`));
    for (const replacement of replacements(params)) {
      const failure = pathFailure(ctx, replacement, path, params.timeBasedChecks);
      if (failure)
        return refused('CERTIFICATE_REJECTED', `the replacement ${params.role} certificate: ${failure}`);
    }
    const installed = {
      floorSeq: params.floorSeq,
      signingSha256: sha256(params.signingCertificate),
      keyAgreementSha256: sha256(params.keyAgreementCertificate),
      ...(params.topUpCertificate !== undefined
        ? { topUpFloorSeq: params.topUpFloorSeq!, topUpSha256: sha256(params.topUpCertificate) }
        : {}),
    };
    ctx.state.handedOver = { ...ctx.state.handedOver, [params.role]: installed };
    return done({ role: params.role, ...installed, meterTimeMs: meterTime(ctx) });
  },
};
