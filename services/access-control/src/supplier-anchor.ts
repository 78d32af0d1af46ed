import { DccError, SUPPLIER_ROLES } from '@dcc/domain';
import { SecurityRemotePartyRole, userRoleCodeOf, type ServiceRequest } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import { checkNamedKey, checkSenderCertificates } from './sender-certificates.js';

/** SRV 6.15.1 Update Security Credentials (KRP). */
export const KRP_SRV = '6.15.1';

/**
 * 6.15.1 with RemotePartyRole Supplier (GBCS CS02b "supplierBySupplier"): the supplier that holds the device
 * replaces its own trust anchor, rolling its signing key. Registration has already let the sender address the
 * device in its role (E4 otherwise). Here, before anything is issued or stored:
 *
 * - the sender must act in a supplier role: only the supplier replaces the supplier's anchor;
 * - the replacement certificates must be the sender's own Supplier Organisation Certificates, the digital
 *   signing one certifying one of its registered signing keys and the top-up one its registered top-up key
 *   (sender-certificates.ts, as 6.23 checks them);
 * - a `signing_key_id` the User sends must be that key.
 *
 * Anything else is INVALID_ARGUMENT, nothing issued or stored. The request goes on naming that key
 * (`signing_key_id`): request-intake.ts completes it before the pre-command is issued, so the supplier signs the
 * key named, and the device installs the anchor under the id the sender's signatures give and, from then on,
 * verifies its critical commands against the new key only. Other roles and SRVs pass unchanged (the device
 * judges them).
 */
export function withSupplierSigningKey(
  admitted: Pick<AdmittedRequest, 'request' | 'user' | 'srv'>,
): ServiceRequest {
  const { request, user } = admitted;
  if (admitted.srv.srv !== KRP_SRV) return request;
  const body = request.body;
  // A CV 5 may leave the body out: the signed one is checked once the signature is verified.
  if (body === undefined) return request;
  if (body.$case !== 'updateSecurityCredentialsKrp') {
    throw DccError.invalidArgument(`SRV ${KRP_SRV} needs an updateSecurityCredentialsKrp body`);
  }
  const asked = body.value;
  if (asked.remotePartyRole !== SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER) return request;
  const role = userRoleCodeOf(request.userRole);
  if (!role || !SUPPLIER_ROLES.includes(role)) {
    throw DccError.invalidArgument(
      `SRV ${KRP_SRV}: only the supplier replaces the Supplier trust anchor, not a sender acting as ${role ?? request.userRole}`,
    );
  }
  const certificates = asked.replacementCertificates;
  const { keyId } = checkSenderCertificates(
    KRP_SRV,
    {
      digitalSigningCertificate: certificates?.digitalSigningCertificate ?? new Uint8Array(),
      keyAgreementCertificate: certificates?.keyAgreementCertificate ?? new Uint8Array(),
      keyAgreementTopUpCertificate: certificates?.keyAgreementTopUpCertificate ?? new Uint8Array(),
      certificationPathCertificates: asked.certificationPathCertificates,
      applyTimeBasedCpvChecks: asked.applyTimeBasedCpvChecks,
    },
    user,
  );
  checkNamedKey(KRP_SRV, asked.signingKeyId, keyId);
  return {
    ...request,
    body: { $case: 'updateSecurityCredentialsKrp', value: { ...asked, signingKeyId: keyId } },
  };
}
