import { subjectKeyIdentifier, type RemotePartyRole } from '@dcc/domain';
import { readOrganisationCertificate, REMOTE_PARTY_ROLE_CODES } from '@dcc/pki';
import type { MeterState, RemoteAnchor } from './meter-state.js';

/*
 * The trust anchors a device holds for remote parties other than the supplier and the CoS party (whose live in
 * credentials.ts), as 6.15.1 replaces them: per role, the party's entity identifier and the subject key
 * identifiers of its signing and key-agreement certificates. 6.24.1 reports them.
 */

/**
 * Which anchors a supplier's signature replaces (GBCS CS02g: the supplier installs the Load Controller's). A
 * network operator's or ACB's anchors are replaced only on that party's own signature (CS02b), which the device
 * model does not verify: critical commands reach it signed by the supplier (credentials.ts checkSigner).
 */
export const REPLACEABLE_BY_SUPPLIER: readonly RemotePartyRole[] = ['loadController'];

/** The SMKI role code (subject OU) a certificate must carry to fill the role's slot. */
const ROLE_CODE: Partial<Record<RemotePartyRole, string>> = REMOTE_PARTY_ROLE_CODES;

/** The anchor the certificates would install, or why the device refuses them. */
export function anchorFrom(
  role: RemotePartyRole,
  signing: string,
  keyAgreement: string,
): Omit<RemoteAnchor, 'floorSeqNumber'> | string {
  const code = ROLE_CODE[role];
  const read = (base64: string, what: string) =>
    readOrganisationCertificate(Buffer.from(base64, 'base64'), `the ${what} certificate`);
  let certificates;
  try {
    certificates = [read(signing, 'digital signing'), read(keyAgreement, 'key agreement')];
  } catch (error) {
    return (error as Error).message;
  }
  const [sign, agree] = certificates as [
    ReturnType<typeof readOrganisationCertificate>,
    ReturnType<typeof readOrganisationCertificate>,
  ];
  if (sign.roleCode !== code || agree.roleCode !== code) {
    return `the certificates are for role ${sign.roleCode}/${agree.roleCode}; the ${role} slot needs ${code}`;
  }
  if (sign.entityId !== agree.entityId) return 'the certificates name two different parties';
  if (sign.keyUsage !== 'digitalSignature' || agree.keyUsage !== 'keyAgreement') {
    return 'the certificates do not carry the key usages their places name';
  }
  const ski = (spki: string) => subjectKeyIdentifier(Buffer.from(spki, 'base64'));
  return {
    entityId: sign.entityId,
    signingKeyId: ski(sign.publicKeySpki),
    keyAgreementKeyId: ski(agree.publicKeySpki),
  };
}

/** Installs the party's anchor; the device's other anchors are untouched. */
export function installAnchor(state: MeterState, role: RemotePartyRole, anchor: RemoteAnchor): void {
  state.remoteAnchors = { ...state.remoteAnchors, [role]: anchor };
}
