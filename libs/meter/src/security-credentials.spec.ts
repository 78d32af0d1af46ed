import {
  certificationRequestPayload,
  DccError,
  GrpcStatus,
  subjectKeyIdentifier,
  type DeviceType,
  type Eui64,
} from '@dcc/domain';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

const id = '00-DB-12-34-56-78-90-A0' as Eui64;
const start = Date.UTC(2026, 2, 2);
const TYPE1: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
const METERS: ReadonlySet<DeviceType> = new Set(['ESME', 'GSME']);
const NEW_SUPPLIER = '90-B3-D5-1F-30-01-00-07';

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
const base64Spki = (key: KeyObject) => spki(key).toString('base64');

function status(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DccError) return error.status;
    throw error;
  }
  return undefined;
}

describe.each(TYPE1)('security credentials of a %s', (deviceType) => {
  const harness = () => new MeterHarness(id, 0, start, { deviceType });

  it('6.24.2: its certificate of either usage certifies its own key pair (the KA one is its KA key)', () => {
    const h = harness();
    const ka = h.send('6.24.2', { credentialType: 'keyAgreement' }).body!;
    expect(ka).toEqual({
      deviceId: id,
      credentialType: 'keyAgreement',
      publicKey: base64Spki(h.kaKeys.keyPair(id).publicKey),
      meterTimeMs: start,
    });
    const ds = h.send('6.24.2', { credentialType: 'digitalSignature' }).body!;
    expect(ds.publicKey).not.toBe(ka.publicKey);
    // The same device answers the same key every time.
    expect(h.send('6.24.2', { credentialType: 'digitalSignature' }).body!.publicKey).toBe(ds.publicKey);
  });

  it('6.17: a new key pair, proven by its signature, held pending while the certificate stays the current one', () => {
    const h = harness();
    const before = h.send('6.24.2', { credentialType: 'digitalSignature' }).body!.publicKey;
    const issued = h.send('6.17', { credentialType: 'digitalSignature' });
    expect(issued.outcome).toBe('executed');
    const request = issued.body!;
    expect(request).toMatchObject({ deviceId: id, credentialType: 'digitalSignature', meterTimeMs: start });
    const key = Buffer.from(request.publicKey, 'base64');
    expect(request.publicKey).not.toBe(before);
    const payload = certificationRequestPayload(id, 'digitalSignature', key);
    const publicKey = createPublicKey({ key, format: 'der', type: 'spki' });
    expect(verify('sha256', payload, publicKey, Buffer.from(request.signature, 'base64'))).toBe(true);
    expect(h.meter.inspect().deviceKeys).toEqual({ current: [0, 0], pending: [1, null] });
    expect(h.send('6.24.2', { credentialType: 'digitalSignature' }).body!.publicKey).toBe(before);
    // A second request replaces the pending pair with another; the state survives a save.
    const again = h.send('6.17', { credentialType: 'digitalSignature' }).body!;
    expect(again.publicKey).not.toBe(request.publicKey);
    const saved = decodeState(encodeState(h.meter.inspect(), true), true);
    expect(saved.deviceKeys).toEqual({ current: [0, 0], pending: [2, null] });
  });

  it('6.24.1: the supplier trust anchors it holds, with the supplier counter; none for a party it has no anchor of', () => {
    const h = harness();
    const result = h.send('6.24.1', { remotePartyRoles: ['supplier', 'networkOperator', 'transCoS'] });
    const [supplier, networkOperator, transCoS] = result.body!.parties;
    const cells = [
      {
        credentialType: 'digitalSignature',
        cellUsage: 'management',
        subjectUniqueId: h.supplierId,
        subjectKeyIdentifier: h.keyId,
      },
    ];
    // Only the meters take top-ups, so only they hold the supplier's top-up key.
    if (METERS.has(deviceType)) {
      cells.push({
        credentialType: 'keyAgreement',
        cellUsage: 'prepaymentTopUp',
        subjectUniqueId: h.supplierId,
        subjectKeyIdentifier: subjectKeyIdentifier(spki(h.topUpKeyPair(h.supplierId).publicKey)),
      });
    }
    // The supplier's own request is the last counter the device accepted from it.
    const counter = h.nextRequestId().split(':')[2]!;
    expect(supplier).toEqual({
      remotePartyRole: 'supplier',
      status: 'success',
      currentSeqNumber: (BigInt(counter) - 1n).toString(),
      cells,
    });
    expect(networkOperator).toEqual({
      remotePartyRole: 'networkOperator',
      status: 'trustAnchorNotFound',
      currentSeqNumber: '',
      cells: [],
    });
    const cosKey = h.options.cosPartyPublicKey!;
    expect(transCoS!.cells).toEqual([
      {
        credentialType: 'digitalSignature',
        cellUsage: 'management',
        subjectUniqueId: '',
        subjectKeyIdentifier: subjectKeyIdentifier(spki(cosKey)),
      },
    ]);
    expect(result.stateChanged).toBe(true); // the request counter moved; nothing else
  });
});

describe('security credentials: what the device refuses', () => {
  it('takes the critical 6.17 and 6.24.2 only signed by its supplier', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.17', { credentialType: 'keyAgreement' }, { signer: null }))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    const stranger = { supplierId: NEW_SUPPLIER, keyId: '1' };
    expect(status(() => h.send('6.24.2', { credentialType: 'keyAgreement' }, { signer: stranger }))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    expect(h.meter.inspect().deviceKeys).toBeNull();
  });

  it('refuses roles or usages DUIS does not define, and a role asked twice', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.24.1', { remotePartyRoles: ['supplier', 'supplier'] }))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(status(() => h.send('6.24.1', { remotePartyRoles: ['dno' as never] }))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(status(() => h.send('6.24.1', { remotePartyRoles: [] }))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status(() => h.send('6.17', { credentialType: 'encryption' as never }))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
  });

  it('a device provisioned without keys generates none and holds no certificate (GBCS CS02c, CS02e codes)', () => {
    const h = new MeterHarness(id, 0, start, { kaKeys: undefined });
    expect(h.send('6.17', { credentialType: 'digitalSignature' })).toMatchObject({
      outcome: 'rejected',
      rejection: { reason: 'KEY_PAIR_GENERATION_FAILED' },
    });
    expect(h.meter.inspect().deviceKeys).toBeNull();
    expect(h.send('6.24.2', { credentialType: 'keyAgreement' })).toMatchObject({
      outcome: 'rejected',
      rejection: { reason: 'NO_CERTIFICATE_HELD' },
    });
    expect(h.send('6.24.1', { remotePartyRoles: ['supplier'] }).outcome).toBe('executed');
  });

  it.each(['IHD'] as const)('an %s holds no GBCS credentials and does not take them', (deviceType) => {
    const h = new MeterHarness(id, 0, start, { deviceType });
    expect(status(() => h.send('6.24.1', { remotePartyRoles: ['supplier'] }))).toBe(GrpcStatus.UNIMPLEMENTED);
  });
});

describe('6.24.1 after a change of supplier (6.23)', () => {
  it('reports the gaining supplier, its signing key id, its top-up key and its counter', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.23', { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' }, { signer: null });
    const counter = 5_000n;
    const read = h.send('6.24.1', { remotePartyRoles: ['supplier'] }, { originator: NEW_SUPPLIER, counter });
    expect(read.body!.parties).toEqual([
      {
        remotePartyRole: 'supplier',
        status: 'success',
        currentSeqNumber: counter.toString(),
        cells: [
          {
            credentialType: 'digitalSignature',
            cellUsage: 'management',
            subjectUniqueId: NEW_SUPPLIER,
            subjectKeyIdentifier: 'K2',
          },
          {
            credentialType: 'keyAgreement',
            cellUsage: 'prepaymentTopUp',
            subjectUniqueId: NEW_SUPPLIER,
            subjectKeyIdentifier: subjectKeyIdentifier(spki(h.topUpKeyPair(NEW_SUPPLIER).publicKey)),
          },
        ],
      },
    ]);
  });
});
