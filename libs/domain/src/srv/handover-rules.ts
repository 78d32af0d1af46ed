import { unsigned64, type BodyFields, type BodyRule } from './body-rules.js';
import { certificationPathRule, derBytes } from './hub-inventory-rules.js';

/*
 * Body rules of 6.21 Request Handover Of DCC Controlled Device: the Remote Party (Supplier or Network Operator)
 * whose trust anchors are replaced, its counter floors, the replacement certificates and the path that issued
 * them. Access control checks them before it stores the request; the device validates the certificate path
 * itself (libs/meter device-handover.ts).
 */

/** HandoverRemotePartyRole (device_handover.proto): 1 Supplier, 2 Network Operator. */
const SUPPLIER = 1;
const NETWORK_OPERATOR = 2;

const has = (fields: BodyFields, name: string): boolean => {
  const value = fields[name];
  return (typeof value === 'string' && value !== '') || (value instanceof Uint8Array && value.length > 0);
};

export const handoverRules: readonly BodyRule[] = [
  (fields) =>
    fields['remotePartyRole'] === SUPPLIER || fields['remotePartyRole'] === NETWORK_OPERATOR
      ? undefined
      : 'remotePartyRole must be Supplier or NetworkOperator',
  unsigned64('remotePartyFloorSeqNumber'),
  (fields) =>
    derBytes('replacementDigitalSigningCertificate', fields['replacementDigitalSigningCertificate']),
  (fields) => derBytes('replacementKeyAgreementCertificate', fields['replacementKeyAgreementCertificate']),
  // The prepayment top-up credentials are a supplier's: DUIS gives them for a Supplier handover only, and then
  // the floor and the certificate together.
  (fields) => {
    const floor = has(fields, 'remotePartyPrepaymentTopUpFloorSeqNumber');
    const certificate = has(fields, 'replacementKeyAgreementTopUpCertificate');
    if (fields['remotePartyRole'] !== SUPPLIER) {
      return floor || certificate
        ? 'prepayment top-up credentials are for a Supplier handover only'
        : undefined;
    }
    if (floor !== certificate) {
      return 'remotePartyPrepaymentTopUpFloorSeqNumber and replacementKeyAgreementTopUpCertificate go together';
    }
    if (!floor) return undefined;
    return (
      unsigned64('remotePartyPrepaymentTopUpFloorSeqNumber')(fields) ??
      derBytes('replacementKeyAgreementTopUpCertificate', fields['replacementKeyAgreementTopUpCertificate'])
    );
  },
  certificationPathRule,
];
