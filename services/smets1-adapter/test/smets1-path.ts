import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { kaPublicKeyText } from '@dcc/domain';
import { DEFAULT_SIGNING_KEY_ID, DEFAULT_SUPPLIER_ID, DeviceKaKeys, type MeterOptions } from '@dcc/meter';
import { SharedSwitches, type LinkDeliveryModel } from '@dcc/meter-delivery';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll } from 'vitest';
import { perCohort, type Cohort } from '../src/cohort.js';
import { Dco } from '../src/dco.js';
import { HalfHourlyCache } from '../src/half-hourly-cache.js';
import { S1ServiceProviders } from '../src/s1-service-providers.js';
import { Smets1Transport } from '../src/smets1-transport.js';

/** The hub's DCO key pair: the device path trusts its public half. */
export const dcoKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The meters' KA provisioning and the top-up key pair of the supplier they were installed for (UTRNs credit). */
export const deviceKaKeys = new DeviceKaKeys(randomBytes(32));
export const supplierTopUpKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const meterOptions: MeterOptions = {
  kaKeys: deviceKaKeys,
  trustedSupplier: {
    supplierId: DEFAULT_SUPPLIER_ID,
    keyId: DEFAULT_SIGNING_KEY_ID,
    topUpKey: kaPublicKeyText(supplierTopUpKeys.publicKey),
  },
};

const lossless: LinkDeliveryModel = {
  baseLatencyMs: 1,
  jitterMs: 0,
  lossRate: 0,
  attemptTimeoutMs: 20,
  concurrency: 8,
};

/**
 * The SMETS1 path of one test file (DCO, S1 service providers, cache, transport) over a real nats-server, where
 * the operators' switches (a cohort out of service) live in JetStream KV. Call at the top of a spec file: it
 * starts the server before the file's tests and stops it after them.
 */
export function smets1PathKit() {
  let nats: NatsServer;
  let nc: NatsConnection;
  let switches: SharedSwitches;
  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    switches = await SharedSwitches.open(nc, 's1');
  });
  afterAll(async () => {
    switches?.stop();
    await nc?.close();
    await nats?.stop();
  });
  /**
   * A SMETS1 path whose S1 service providers all follow `model` (1 ms, lossless by default); the DCO signs with
   * `signingKeys` (the device path trusts `dcoKeys` whatever they are).
   */
  return function smets1Path(
    options: {
      signingKeys?: { privateKey: KeyObject; publicKey: KeyObject };
      model?: Partial<LinkDeliveryModel>;
      /** One cohort's provider differently (its own delivery model, as configured per cohort). */
      cohortModels?: Partial<Record<Cohort, Partial<LinkDeliveryModel>>>;
      targetResponseMs?: number;
    } = {},
  ) {
    const dco = new Dco({ keys: options.signingKeys ?? dcoKeys });
    const providers = new S1ServiceProviders({
      models: perCohort((cohort) => ({
        ...lossless,
        ...options.model,
        ...options.cohortModels?.[cohort],
      })),
      targetResponseMs: options.targetResponseMs ?? 2_000,
      seed: 11,
      switches,
    });
    const cache = new HalfHourlyCache({ ttlMs: 60_000, maxEntries: 100 });
    const transport = new Smets1Transport({
      dco,
      providers,
      cache,
      dcoPublicKey: dcoKeys.publicKey,
      seed: 0,
      meterOptions,
    });
    return { dco, providers, cache, transport };
  };
}
