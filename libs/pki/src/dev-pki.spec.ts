import { createPrivateKey, createPublicKey, diffieHellman, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevPki } from './dev-pki.js';
import { writePkiDir } from './pki-files.js';

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

  it('gives each User a prepayment top-up KA key pair (EC P-256, ECDH) and the devices a provisioning secret, written owner-only', async () => {
    const id = '90-B3-D5-1F-30-01-00-00';
    const pki = await createDevPki([id, '90-B3-D5-1F-30-02-00-00']);
    const topUp = pki.topUpKeys[id]!;
    const publicKey = createPublicKey(topUp.publicKeyPem);
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // A working key-agreement pair: ECDH with another party's key gives both sides the same secret.
    const other = pki.topUpKeys['90-B3-D5-1F-30-02-00-00']!;
    const ab = diffieHellman({
      privateKey: createPrivateKey(topUp.privateKeyPem),
      publicKey: createPublicKey(other.publicKeyPem),
    });
    const ba = diffieHellman({ privateKey: createPrivateKey(other.privateKeyPem), publicKey });
    expect(ab.equals(ba)).toBe(true);
    expect(topUp.publicKeyPem).not.toBe(other.publicKeyPem);
    expect(Buffer.from(pki.deviceKaSecret, 'base64')).toHaveLength(32);

    const dir = mkdtempSync(join(tmpdir(), 'dev-pki-'));
    try {
      const files = writePkiDir(dir, pki);
      expect(readFileSync(files.userTopUpPublicKey(id), 'utf8')).toBe(topUp.publicKeyPem);
      expect(statSync(files.userTopUpKey(id)).mode & 0o777).toBe(0o600);
      expect(readFileSync(files.deviceKaSecret, 'utf8')).toBe(pki.deviceKaSecret);
      expect(statSync(files.deviceKaSecret).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
