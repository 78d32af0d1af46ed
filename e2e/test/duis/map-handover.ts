import { HandoverRemotePartyRole } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import type { SampleMapper } from './map-common.js';

const ROLES: Record<string, HandoverRemotePartyRole> = {
  Supplier: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_SUPPLIER,
  NetworkOperator: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
};

const der = (text: string) => Buffer.from(text, 'base64');

/**
 * 6.21 (a device SRV): the Remote Party role, its counter floors (the top-up one a supplier's only), the
 * replacement certificates and their certification path (base64 DER in DUIS).
 */
function requestHandover(body: BodyReader) {
  const roleText = body.text('RemotePartyRole');
  const role = ROLES[roleText];
  if (role === undefined) throw new Unexpressible(`6.21 RemotePartyRole ${roleText}`);
  const certificates = body.child('ReplacementCertificates');
  const topUp = certificates.optionalText('KeyAgreementTopUpCertificate');
  return {
    $case: 'requestHandoverOfDccControlledDevice' as const,
    value: {
      remotePartyRole: role,
      remotePartyFloorSeqNumber: body.text('RemotePartyFloorSeqNumber'),
      remotePartyPrepaymentTopUpFloorSeqNumber:
        body.optionalText('RemotePartyPrepaymentTopUpFloorSeqNumber') ?? '',
      replacementDigitalSigningCertificate: der(certificates.text('DigitalSigningCertificate')),
      replacementKeyAgreementCertificate: der(certificates.text('KeyAgreementCertificate')),
      replacementKeyAgreementTopUpCertificate: topUp === undefined ? Buffer.alloc(0) : der(topUp),
      certificationPathCertificates: body
        .child('CertificationPathCertificates')
        .children('Certificate')
        .map((c) => der(c.value())),
      applyTimeBasedCpvChecks: body.text('ApplyTimeBasedCPVChecks') === 'true',
    },
  };
}

export const HANDOVER_MAPPERS: Record<string, SampleMapper> = { '6.21': requestHandover };
