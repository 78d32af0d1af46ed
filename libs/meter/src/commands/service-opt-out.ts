import { createHash } from 'node:crypto';
import { BASE64, certificate, counterFloor, pathFailure, pathParams } from './certification-path.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused } from './outcome.js';
import { Params } from './params.js';
import type { ServiceOptOutParams, ServiceOptedOutReading } from './types.js';

const certificates = (params: ServiceOptOutParams) =>
  [params.certificate, ...params.certificationPath].map((c, i) =>
    certificate(c, '8.5', i === 0 ? 'KeyAgreementCertificate' : `CertificationPathCertificates[${i - 1}]`),
  );

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
    return {
      acbFloorSeq: counterFloor(p, 'acbFloorSeq'),
      certificate: p.string('certificate', BASE64, 4_096),
      ...pathParams(p),
    };
  },
  validate(_ctx, params) {
    // Malformed certificates are the command's fault (INVALID_ARGUMENT), before anything changes.
    certificates(params);
  },
  execute(ctx, params) {
    const [replacement, ...path] = certificates(params);
    const failure = pathFailure(ctx, replacement!, path, params.timeBasedChecks);
    if (failure) return refused('CERTIFICATE_REJECTED', `the replacement ACB certificate: ${failure}`);
    const certificateSha256 = createHash('sha256')
      .update(Buffer.from(params.certificate, 'base64'))
      .digest('hex');
    ctx.state.accessControlBroker = { floorSeq: params.acbFloorSeq, certificateSha256 };
    return done({ acbFloorSeq: params.acbFloorSeq, certificateSha256, meterTimeMs: meterTime(ctx) });
  },
  beforeCommissioning: true,
};
