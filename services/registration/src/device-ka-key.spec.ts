import { generateKeyPairSync } from 'node:crypto';
import { kaPublicKeyText } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { deviceToWire, type Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan } from './test-helpers.js';

// A meter's key-agreement public key in the inventory: registered by its installer on the feed line, kept by
// later lines that do not carry it, answered by ReadInventory (deviceToWire), refused when it is not EC P-256.

const MPXN = mpan('101234567891');
const DEVICE = '00-DB-12-00-00-00-00-05';
const kaKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
const line = (device: Record<string, unknown>) =>
  parseFeedLine(
    JSON.stringify({
      mpxn: MPXN,
      fuel: 'electricity',
      meterKind: 'SMETS2',
      cspRegion: 'North',
      device: { id: DEVICE, status: 'Commissioned', ...device },
    }),
  );

function load(state: RegistrationState, device: Record<string, unknown>): Change[] {
  const changes = feedRowChanges(state, line(device));
  for (const change of changes) state.apply({ recordedAtMs: 0, change });
  return changes;
}

describe('a meter’s KA public key in the inventory', () => {
  it('is recorded from the feed (PEM or base64 DER), kept by a line without it, answered by ReadInventory', () => {
    const state = new RegistrationState(16);
    const pem = kaKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(load(state, { kaPublicKey: pem })).not.toHaveLength(0);
    expect(state.devices.get(DEVICE)?.kaPublicKey).toBe(kaPublicKeyText(kaKey));
    // The same key as base64 DER, or no key at all: nothing changes (a re-sent or older feed).
    expect(load(state, { kaPublicKey: kaPublicKeyText(kaKey) })).toEqual([]);
    expect(load(state, {})).toEqual([]);
    const wire = deviceToWire(state.devices.get(DEVICE)!);
    expect(Buffer.from(wire.kaPublicKey).toString('base64')).toBe(kaPublicKeyText(kaKey));
    // A replaced key is a change.
    const next = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(load(state, { kaPublicKey: kaPublicKeyText(next) })).toHaveLength(1);
    expect(state.devices.get(DEVICE)?.kaPublicKey).toBe(kaPublicKeyText(next));
  });

  it('a key that is not an EC P-256 public key rejects the line', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() =>
      line({ kaPublicKey: rsa.export({ type: 'spki', format: 'der' }).toString('base64') }),
    ).toThrow(/EC P-256/);
    expect(() => line({ kaPublicKey: 'not a key' })).toThrow(/kaPublicKey/);
  });
});
