import { subjectKeyIdentifier, type DeviceType, type Eui64, type RemotePartyRole } from '@dcc/domain';
import { createOrganisationCertificates, type OrganisationCertificateRequest } from '@dcc/pki';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

const id = '00-DB-12-34-56-78-90-A0' as Eui64;
const start = Date.UTC(2026, 2, 2);
const TYPE1: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
const LOAD_CONTROLLER = '90-B3-D5-1F-30-01-00-08';

const freshKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const ski = (pem: string) =>
  subjectKeyIdentifier(createPublicKey(pem).export({ type: 'spki', format: 'der' }));

/** A party's digital signing and key agreement certificates under one issuing authority. */
async function partyCertificates(entityId: string, roleCode: string) {
  const keys = [freshKeyPem(), freshKeyPem()];
  const requests: OrganisationCertificateRequest[] = [
    { entityId, roleCode, keyUsage: 'digitalSignature', publicKeyPem: keys[0]! },
    { entityId, roleCode, keyUsage: 'keyAgreement', publicKeyPem: keys[1]! },
  ];
  const { certificates, issuer } = await createOrganisationCertificates(requests);
  return { keys, certificates, issuer };
}

function replacement(role: RemotePartyRole, set: Awaited<ReturnType<typeof partyCertificates>>) {
  return {
    remotePartyRole: role,
    floorSeqNumber: '7',
    topUpFloorSeqNumber: '',
    digitalSigningCertificate: b64(set.certificates[0]!),
    keyAgreementCertificate: b64(set.certificates[1]!),
    keyAgreementTopUpCertificate: '',
    certificationPathCertificates: [b64(set.issuer)],
    applyTimeBasedCpvChecks: true,
  };
}

describe.each(TYPE1)('credential replacement on a %s', (deviceType) => {
  const harness = () => new MeterHarness(id, 0, start, { deviceType });

  it('6.15.2: the certificate of the pending pair makes it current; 6.24.2 then answers the new key', async () => {
    const h = harness();
    const issued = h.send('6.17', { credentialType: 'keyAgreement' }).body!;
    const pem = createPublicKey({ key: Buffer.from(issued.publicKey, 'base64'), format: 'der', type: 'spki' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const { certificates } = await createOrganisationCertificates([
      { entityId: id, roleCode: '00', keyUsage: 'keyAgreement', publicKeyPem: pem },
    ]);
    const installed = h.send('6.15.2', { deviceCertificate: b64(certificates[0]!) });
    expect(installed.outcome).toBe('executed');
    expect(installed.body).toMatchObject({
      deviceId: id,
      credentialType: 'keyAgreement',
      publicKey: issued.publicKey,
    });
    expect(h.meter.inspect().deviceKeys).toEqual({ current: [0, 1], pending: [null, null] });
    expect(h.send('6.24.2', { credentialType: 'keyAgreement' }).body!.publicKey).toBe(issued.publicKey);
    // Installed once: the same certificate again finds nothing pending.
    const again = h.send('6.15.2', { deviceCertificate: b64(certificates[0]!) });
    expect(again.rejection?.reason).toBe('NO_PENDING_KEY_PAIR');
  });

  it('6.15.2: a certificate for a key the device did not generate is refused and changes nothing', async () => {
    const h = harness();
    h.send('6.17', { credentialType: 'digitalSignature' });
    const { certificates } = await createOrganisationCertificates([
      { entityId: id, roleCode: '00', keyUsage: 'digitalSignature', publicKeyPem: freshKeyPem() },
    ]);
    const refused = h.send('6.15.2', { deviceCertificate: b64(certificates[0]!) });
    expect(refused.outcome).toBe('rejected');
    expect(refused.rejection?.reason).toBe('NO_PENDING_KEY_PAIR');
    expect(h.meter.inspect().deviceKeys).toEqual({ current: [0, 0], pending: [1, null] });
    const garbage = h.send('6.15.2', {
      deviceCertificate: Buffer.from('not a certificate').toString('base64'),
    });
    expect(garbage.rejection?.reason).toBe('CERTIFICATE_REJECTED');
  });

  it("6.15.1: the supplier installs the Load Controller's anchor; 6.24.1 reports it and it survives a save", async () => {
    const h = harness();
    const set = await partyCertificates(LOAD_CONTROLLER, '08');
    const result = h.send('6.15.1', replacement('loadController', set));
    expect(result.outcome).toBe('executed');
    expect(result.body).toEqual({ remotePartyRole: 'loadController', meterTimeMs: start });
    const anchor = {
      entityId: LOAD_CONTROLLER,
      signingKeyId: ski(set.keys[0]!),
      keyAgreementKeyId: ski(set.keys[1]!),
    };
    expect(h.meter.inspect().remoteAnchors).toEqual({ loadController: { ...anchor, floorSeqNumber: '7' } });
    const [party] = h.send('6.24.1', { remotePartyRoles: ['loadController'] }).body!.parties;
    expect(party!.status).toBe('success');
    expect(party!.currentSeqNumber).toBe('7');
    expect(party!.cells.map((c) => [c.credentialType, c.subjectUniqueId, c.subjectKeyIdentifier])).toEqual([
      ['digitalSignature', LOAD_CONTROLLER, anchor.signingKeyId],
      ['keyAgreement', LOAD_CONTROLLER, anchor.keyAgreementKeyId],
    ]);
    expect(decodeState(encodeState(h.meter.inspect(), true), true).remoteAnchors).toEqual(
      h.meter.inspect().remoteAnchors,
    );
  });

  it('6.15.1: refused, nothing installed, when the certificates name another role, the path fails or the signer may not', async () => {
    const h = harness();
    const supplierRole = await partyCertificates(LOAD_CONTROLLER, '02');
    expect(h.send('6.15.1', replacement('loadController', supplierRole)).rejection?.reason).toBe(
      'CERTIFICATE_REJECTED',
    );
    const set = await partyCertificates(LOAD_CONTROLLER, '08');
    const other = await partyCertificates(LOAD_CONTROLLER, '08');
    const wrongPath = {
      ...replacement('loadController', set),
      certificationPathCertificates: [b64(other.issuer)],
    };
    expect(h.send('6.15.1', wrongPath).rejection?.reason).toBe('CERTIFICATE_REJECTED');
    const operator = await partyCertificates('90-B3-D5-1F-30-02-00-00', '03');
    expect(h.send('6.15.1', replacement('networkOperator', operator)).rejection?.reason).toBe(
      'SIGNER_NOT_AUTHORISED',
    );
    expect(h.meter.inspect().remoteAnchors).toEqual({});
  });
});
