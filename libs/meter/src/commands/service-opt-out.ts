import { createHash, X509Certificate } from 'node:crypto';
import { DccError } from '@dcc/domain';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type { ServiceOptOutParams, ServiceOptedOutReading } from './types.js';

const BASE64 = /^[A-Za-z0-9+/=]+$/;
const MAX_COUNTER = (1n << 64n) - 1n;

/** A base64 DER certificate as the device reads it (INVALID_ARGUMENT when it is not one). */
function certificate(base64: string, name: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw DccError.invalidArgument(`SRV 8.5 ${name} is not an X.509 certificate`);
  }
}

/**
 * Certification path validation as GBCS has the device do it before it installs a credential: each certificate
 * issued (name and signature) by the next in the path, and, with ApplyTimeBasedCPVChecks, each one valid at the
 * device's time. The failure, or undefined when the path holds.
 */
export function pathFailure(
  ctx: ExecContext,
  params: Pick<ServiceOptOutParams, 'certificate' | 'certificationPath' | 'timeBasedChecks'>,
): string | undefined {
  const chain = [params.certificate, ...params.certificationPath].map((c, i) =>
    certificate(c, i === 0 ? 'KeyAgreementCertificate' : `CertificationPathCertificates[${i - 1}]`),
  );
  for (let i = 0; i + 1 < chain.length; i++) {
    const [subject, issuer] = [chain[i]!, chain[i + 1]!];
    if (!subject.checkIssued(issuer) || !subject.verify(issuer.publicKey)) {
      return `${subject.subject.replace(/\n/g, ', ')} is not issued by ${issuer.subject.replace(/\n/g, ', ')}`;
    }
  }
  if (params.timeBasedChecks) {
    const now = meterTime(ctx);
    const expired = chain.find((c) => now < Date.parse(c.validFrom) || now > Date.parse(c.validTo));
    if (expired) return `${expired.subject.replace(/\n/g, ', ')} is not valid at the device's time`;
  }
  return undefined;
}

/**
 * 8.5 Service Opt Out (GBCS CS02b, ACB by ACB): the DCC, as the device's Access Control Broker, replaces its own
 * key-agreement credentials on the device with the replacement ACB's, after the device validated the certificate
 * path (refused CERTIFICATE_REJECTED otherwise, nothing changed). From then on the device trusts the other ACB and
 * refuses every command the DCC sends it (OPTED_OUT, meter-device.ts); the meter adapters tell registration, which
 * records the device Withdrawn. Not future-datable at the device (the DSP holds a future-dated one).
 */
export const serviceOptOut: SrvHandler<ServiceOptOutParams, ServiceOptedOutReading> = {
  parse(raw) {
    const p = new Params('8.5', raw).only(
      'acbFloorSeq',
      'certificate',
      'certificationPath',
      'timeBasedChecks',
    );
    const floor = p.string('acbFloorSeq', /^[0-9]{1,20}$/, 20);
    if (BigInt(floor) > MAX_COUNTER) throw p.error('acbFloorSeq must be an unsigned 64-bit counter');
    const path = p.raw('certificationPath');
    if (
      !Array.isArray(path) ||
      path.length === 0 ||
      path.some((c) => typeof c !== 'string' || !BASE64.test(c))
    ) {
      throw p.error('certificationPath must be one or more base64 certificates');
    }
    const timeBasedChecks = p.raw('timeBasedChecks');
    if (typeof timeBasedChecks !== 'boolean') throw p.error('timeBasedChecks must be true or false');
    return {
      acbFloorSeq: BigInt(floor).toString(),
      certificate: p.string('certificate', BASE64, 4_096),
      certificationPath: path as string[],
      timeBasedChecks,
    };
  },
  validate(_ctx, params) {
    // Malformed certificates are the command's fault (INVALID_ARGUMENT), before anything changes.
    [params.certificate, ...params.certificationPath].forEach((c, i) => certificate(c, `certificate ${i}`));
  },
  execute(ctx, params) {
    const failure = pathFailure(ctx, params);
    if (failure) return refused('CERTIFICATE_REJECTED', `the replacement ACB certificate: ${failure}`);
    const certificateSha256 = createHash('sha256')
      .update(Buffer.from(params.certificate, 'base64'))
      .digest('hex');
    ctx.state.accessControlBroker = { floorSeq: params.acbFloorSeq, certificateSha256 };
    return done({ acbFloorSeq: params.acbFloorSeq, certificateSha256, meterTimeMs: meterTime(ctx) });
  },
  beforeCommissioning: true,
};
