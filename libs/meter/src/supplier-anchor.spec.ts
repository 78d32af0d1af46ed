import { GrpcStatus, kaPublicKeyText, type Eui64 } from '@dcc/domain';
import { createOrganisationCertificates, type OrganisationCertificateRequest } from '@dcc/pki';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RemotePartyReplacementParams } from './commands/trust-anchor-commands.js';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

const id = '00-DB-12-34-56-78-90-A0' as Eui64;
const start = Date.UTC(2026, 2, 2);
const OTHER_SUPPLIER = '90-B3-D5-1F-30-05-00-00';
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const freshKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { status: number }).status;
  }
  return undefined;
}

/**
 * A supplier's signing, key agreement and top-up certificates under one issuing authority; `topUp` overrides
 * the top-up certificate's subject (entity, role) to make it another party's.
 */
async function supplierCertificates(
  entityId: string,
  topUpKeyPem: string,
  topUp: { entityId?: string; roleCode?: string } = {},
): Promise<RemotePartyReplacementParams & { signingKeyId: string }> {
  const requests: OrganisationCertificateRequest[] = [
    { entityId, roleCode: '02', keyUsage: 'digitalSignature', publicKeyPem: freshKeyPem() },
    { entityId, roleCode: '02', keyUsage: 'keyAgreement', publicKeyPem: freshKeyPem() },
    {
      entityId: topUp.entityId ?? entityId,
      roleCode: topUp.roleCode ?? '02',
      keyUsage: 'keyAgreement',
      publicKeyPem: topUpKeyPem,
    },
  ];
  const { certificates, issuer } = await createOrganisationCertificates(requests);
  return {
    remotePartyRole: 'supplier',
    floorSeqNumber: '9000',
    topUpFloorSeqNumber: '0',
    digitalSigningCertificate: b64(certificates[0]!),
    keyAgreementCertificate: b64(certificates[1]!),
    keyAgreementTopUpCertificate: b64(certificates[2]!),
    certificationPathCertificates: [b64(issuer)],
    applyTimeBasedCpvChecks: true,
    signingKeyId: 'K2',
  };
}

const topUpPem = (h: MeterHarness) =>
  h.topUpKeyPair(h.supplierId).publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('6.15.1 the supplier replaces its own anchor (GBCS CS02b supplierBySupplier)', () => {
  it('installs the key the hub names: commands signed with it execute, the old key is refused; floors and top-up key go with it', async () => {
    const h = new MeterHarness(id, 0, start);
    const params = await supplierCertificates(h.supplierId, topUpPem(h));
    const replaced = h.send('6.15.1', params);
    expect(replaced.outcome).toBe('executed');
    expect(replaced.body).toEqual({ remotePartyRole: 'supplier', meterTimeMs: start });
    const topUpKey = kaPublicKeyText(h.topUpKeyPair(h.supplierId).publicKey);
    // The device keeps the signing certificate's key, which the device edge verifies its critical commands with.
    const signingKey = new X509Certificate(Buffer.from(params.digitalSigningCertificate, 'base64')).publicKey
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    expect(h.meter.toState().tr).toEqual([h.supplierId, 'K2', topUpKey, signingKey]);

    // The old key no longer verifies a critical command; the new one does.
    expect(status(() => h.send('7.2'))).toBe(GrpcStatus.PERMISSION_DENIED);
    h.keyId = 'K2';
    // The supplier's counters start above its new floor.
    expect(status(() => h.send('7.2', undefined, { counter: 9000n }))).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(h.send('7.2', undefined, { counter: 9001n }).outcome).toBe('executed');
    // 6.24.1 reports the new signing key; the state survives a save.
    const read = h.send('6.24.1', { remotePartyRoles: ['supplier'] }, { counter: 9002n });
    expect(read.body!.parties[0]!.cells[0]).toMatchObject({
      credentialType: 'digitalSignature',
      subjectKeyIdentifier: 'K2',
    });
    expect(decodeState(encodeState(h.meter.inspect(), true), true).trust).toEqual(h.meter.inspect().trust);
    // UTRNs under the certified top-up key still credit.
    h.send('1.6', { mode: 'prepayment' }, { counter: 9003n });
    expect(h.send('2.2', { utrn: h.utrn(300) }, { counter: 9004n }).body!.creditedPence).toBe(300);
  });

  it('refuses, and changes nothing, another supplier’s certificates, a foreign top-up certificate, a failing path or expired certificates', async () => {
    const h = new MeterHarness(id, 0, start);
    const before = h.meter.toState().tr;
    const foreign = await supplierCertificates(OTHER_SUPPLIER, topUpPem(h));
    const refusals = [
      [foreign, /replaces only its own anchor/],
      [
        await supplierCertificates(h.supplierId, topUpPem(h), { entityId: OTHER_SUPPLIER }),
        /top-up certificate is 90-B3-D5-1F-30-05-00-00's/,
      ],
      [
        await supplierCertificates(h.supplierId, topUpPem(h), { roleCode: '03' }),
        /in role 03, not the supplier/,
      ],
      [
        {
          ...(await supplierCertificates(h.supplierId, topUpPem(h))),
          certificationPathCertificates: foreign.certificationPathCertificates,
        },
        /is not issued by/,
      ],
    ] as const;
    for (const [params, reason] of refusals) {
      const result = h.send('6.15.1', params);
      expect(result.rejection?.reason).toBe('CERTIFICATE_REJECTED');
      expect(result.rejection?.message).toMatch(reason);
    }
    // ApplyTimeBasedCPVChecks: the certificates are valid from a year before now; the device's clock is earlier.
    const early = new MeterHarness(id, 0, Date.UTC(2001, 0, 1));
    const expired = early.send('6.15.1', await supplierCertificates(early.supplierId, topUpPem(early)));
    expect(expired.rejection?.message).toMatch(/not valid at the device's time/);
    expect(h.meter.toState().tr).toEqual(before);
    expect(h.send('7.2').outcome).toBe('executed');
  });

  it('is malformed without the key the hub names or the top-up certificate, and for another role with a key', async () => {
    const h = new MeterHarness(id, 0, start);
    const params = await supplierCertificates(h.supplierId, topUpPem(h));
    const { signingKeyId: _key, ...unnamed } = params;
    expect(status(() => h.send('6.15.1', unnamed))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status(() => h.send('6.15.1', { ...params, keyAgreementTopUpCertificate: '' }))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(
      status(() =>
        h.send('6.15.1', {
          ...params,
          remotePartyRole: 'loadController',
          topUpFloorSeqNumber: '',
          keyAgreementTopUpCertificate: '',
        }),
      ),
    ).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('the same supplier cannot lower its own top-up floor, which would reopen its old UTRNs', async () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.6', { mode: 'prepayment' });
    const spent = h.utrn(200, 5n << 32n);
    expect(h.send('2.2', { utrn: spent }).body!.creditedPence).toBe(200);
    h.send('6.15.1', { ...(await supplierCertificates(h.supplierId, topUpPem(h))), floorSeqNumber: '0' });
    h.keyId = 'K2';
    expect(h.send('2.2', { utrn: spent }).rejection?.reason).toBe('UTRN_DUPLICATE');
  });
});
