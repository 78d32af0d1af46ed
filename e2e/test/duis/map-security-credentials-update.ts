import { UpdateSecurityCredentialsKrp } from '@dcc/proto';
import type { BodyReader } from './body-reader.js';
import { executionDateTime, type SampleMapper } from './map-common.js';
import { flagText } from './map-device-management.js';
import { lookup, ROLES } from './map-security-credentials.js';

const der = (reader: BodyReader, name: string) => Buffer.from(reader.text(name), 'base64');
const optionalDer = (reader: BodyReader, name: string) => {
  const text = reader.optionalText(name);
  return text === undefined ? Buffer.alloc(0) : Buffer.from(text, 'base64');
};

/** Replacing the credentials a device holds, every field: 6.15.1 a remote party's anchors, 6.15.2 its own. */
export const SECURITY_CREDENTIALS_UPDATE_MAPPERS: Record<string, SampleMapper> = {
  '6.15.1': (body) => {
    const certificates = body.child('ReplacementCertificates').child('SupplierOrNetworkOperatorCertificates');
    return {
      $case: 'updateSecurityCredentialsKrp',
      value: UpdateSecurityCredentialsKrp.fromPartial({
        ...executionDateTime(body),
        remotePartyRole: lookup(ROLES, 'RemotePartyRole', body.text('RemotePartyRole')),
        remotePartyFloorSeqNumber: body.text('RemotePartyFloorSeqNumber'),
        remotePartyPrepaymentTopUpFloorSeqNumber:
          body.optionalText('RemotePartyPrepaymentTopUpFloorSeqNumber') ?? '',
        replacementCertificates: {
          digitalSigningCertificate: der(certificates, 'DigitalSigningCertificate'),
          keyAgreementCertificate: der(certificates, 'KeyAgreementCertificate'),
          keyAgreementTopUpCertificate: optionalDer(certificates, 'KeyAgreementTopUpCertificate'),
        },
        certificationPathCertificates: body
          .child('CertificationPathCertificates')
          .children('Certificate')
          .map((c) => Buffer.from(c.value(), 'base64')),
        applyTimeBasedCpvChecks: flagText(body, 'ApplyTimeBasedCPVChecks'),
      }),
    };
  },
  '6.15.2': (body) => ({
    $case: 'updateSecurityCredentialsDevice',
    value: { deviceCertificate: der(body, 'DeviceCertificate') },
  }),
};
