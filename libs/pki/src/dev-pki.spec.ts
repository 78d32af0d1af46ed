import { createPublicKey, sign, verify } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevPki } from './dev-pki.js';

describe('createDevPki', () => {
  it('issues server and User certificates that chain to the CA, with the User ID as CN', async () => {
    const pki = await createDevPki(['90-B3-D5-1F-30-01-00-00']);
    const ca = new X509Certificate(pki.ca.certificate);
    const server = new X509Certificate(pki.server.certificate);
    const user = new X509Certificate(pki.users['90-B3-D5-1F-30-01-00-00']!.certificate);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(user.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(user.subject).toBe('CN=90-B3-D5-1F-30-01-00-00');
    expect(user.ca).toBe(false);
    expect(pki.users['90-B3-D5-1F-30-01-00-00']!.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('gives each User an ECDSA P-256 signing key pair (key id "1") whose signatures verify', async () => {
    const pki = await createDevPki(['90-B3-D5-1F-30-01-00-00']);
    const key = pki.signingKeys['90-B3-D5-1F-30-01-00-00']!;
    expect(key.keyId).toBe('1');
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signature = sign('sha256', Buffer.from('pre-command'), {
      key: key.privateKeyPem,
      dsaEncoding: 'der',
    });
    expect(
      verify('sha256', Buffer.from('pre-command'), { key: publicKey, dsaEncoding: 'der' }, signature),
    ).toBe(true);
  });

  it('makes the CoS party and the DCO signing key pairs of their own (key ids "cos", "dco")', async () => {
    const pki = await createDevPki(['90-B3-D5-1F-30-01-00-00']);
    expect(pki.cosParty.keyId).toBe('cos');
    expect(createPublicKey(pki.cosParty.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(pki.cosParty.publicKeyPem).not.toBe(pki.signingKeys['90-B3-D5-1F-30-01-00-00']!.publicKeyPem);
    expect(pki.dco.keyId).toBe('dco');
    expect(createPublicKey(pki.dco.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(pki.dco.publicKeyPem).not.toBe(pki.cosParty.publicKeyPem);
  });
});
