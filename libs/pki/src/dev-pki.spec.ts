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
});
