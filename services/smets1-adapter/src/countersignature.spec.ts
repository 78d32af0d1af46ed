import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smets1Device, storedCommand } from '../test/test-commands.js';
import { countersign, dcoKeys, verifyCountersignature } from './countersignature.js';

function keyFiles() {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dir = mkdtempSync(join(tmpdir(), 'dco-keys-'));
  writeFileSync(join(dir, 'dco.key'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'dco.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { key: join(dir, 'dco.key'), pub: join(dir, 'dco.pub') };
}

describe('the DCO countersignature', () => {
  it('loads the DCO key pair from PEM files; a countersignature is valid for its command and device only', () => {
    const files = keyFiles();
    const { keys, ephemeral } = dcoKeys(files.key, files.pub);
    expect(ephemeral).toBe(false);
    const stored = storedCommand(smets1Device(1), 'IOC');
    const signature = countersign(keys.privateKey, stored.deviceId, stored.request!);
    expect(verifyCountersignature(keys.publicKey, stored.deviceId, stored.request!, signature)).toBe(true);
    expect(verifyCountersignature(keys.publicKey, smets1Device(2), stored.request!, signature)).toBe(false);
    const altered = { ...stored.request!, serviceReferenceVariant: '4.1.2' };
    expect(verifyCountersignature(keys.publicKey, stored.deviceId, altered, signature)).toBe(false);
  });

  it('one key file without the other is a configuration error; neither makes a process-only key pair', () => {
    const files = keyFiles();
    expect(() => dcoKeys(files.key, undefined)).toThrow(/set together/);
    expect(() => dcoKeys(undefined, files.pub)).toThrow(/set together/);
    expect(dcoKeys(undefined, undefined).ephemeral).toBe(true);
  });
});
