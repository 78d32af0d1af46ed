import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSigningKeyPair } from './dev-pki.js';
import { createOrganisationCertificate } from './organisation-certificate-issuer.js';
import { readOrganisationCertificate } from './organisation-certificate.js';

/** A certificate from DCC's 6.15.1 sample (GITTESTSUPPLIER's digital signing certificate). */
function sampleCertificate(): Uint8Array {
  const path = join(
    import.meta.dirname,
    '../../../node_modules/@smartdcc/duis-templates/templates',
    'CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML',
  );
  const b64 = /<sr:DigitalSigningCertificate>([^<]+)</.exec(readFileSync(path, 'utf8'))![1]!;
  return Buffer.from(b64, 'base64');
}

describe('Organisation Certificates', () => {
  it("reads DCC's sample: the supplier's entity identifier, role 02, digital signing, a P-256 key", () => {
    const cert = readOrganisationCertificate(sampleCertificate(), 'the sample');
    expect(cert).toMatchObject({
      entityId: '90-B3-D5-1F-30-01-00-00',
      roleCode: '02',
      keyUsage: 'digitalSignature',
    });
    expect(Buffer.from(cert.publicKeySpki, 'base64')).toHaveLength(91);
  });

  it('reads back what the issuer made, key included', async () => {
    const key = await createSigningKeyPair('K1');
    const made = await createOrganisationCertificate({
      entityId: '90-B3-D5-1F-30-02-00-00',
      roleCode: '03',
      keyUsage: 'keyAgreement',
      publicKeyPem: key.publicKeyPem,
    });
    const cert = readOrganisationCertificate(made.certificate, 'made');
    expect(cert).toMatchObject({
      entityId: '90-B3-D5-1F-30-02-00-00',
      roleCode: '03',
      keyUsage: 'keyAgreement',
    });
    expect(cert.publicKeySpki).toBe(
      Buffer.from(key.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64'),
    );
  });

  it('refuses what is not an Organisation Certificate', async () => {
    expect(() => readOrganisationCertificate(new Uint8Array([1, 2, 3]), 'junk')).toThrow(
      /junk is not an X.509/,
    );
    const made = await createOrganisationCertificate({
      entityId: '90-B3-D5-1F-30-02-00-00',
      roleCode: '03',
      keyUsage: 'keyAgreement',
      publicKeyPem: (await createSigningKeyPair('K')).publicKeyPem,
    });
    // The issuer's own certificate names no entity.
    expect(() => readOrganisationCertificate(made.issuer, 'the issuer')).toThrow(
      /single role|entity identifier/,
    );
  });
});
