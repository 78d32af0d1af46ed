import { credentialSwapPayload, kaPublicKeyText, type Eui64 } from '@dcc/domain';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  DeviceResult,
  SrvBodyMap,
  SrvParamMap,
  SupportedSrv,
  UntypedDeviceCommand,
} from './commands/types.js';
import type { Signer } from './credentials.js';
import { DeviceKaKeys, type KaKeyPair } from './device-ka-keys.js';
import { DEFAULT_SIGNING_KEY_ID, DEFAULT_SUPPLIER_ID, type MeterOptions } from './device-model.js';
import { MeterDevice } from './meter-device.js';
import { createUtrn } from './utrn.js';

/** A clock a test or a simulation moves by hand. */
export class ManualClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

/** What send() takes: the SRV's parameters, where 6.23's top-up key defaults to the named supplier's. */
export type HarnessParams<S extends SupportedSrv> = S extends '6.23'
  ? Omit<SrvParamMap['6.23'], 'topUpKey' | 'supplierFloor'> & { topUpKey?: string; supplierFloor?: string }
  : SrvParamMap[S];

export interface SendOptions {
  executionTimeMs?: number;
  /** Defaults to the harness supplier for every SRV (the device only checks it for critical ones). */
  signer?: Signer | null;
  originator?: string;
  /** Send without a RequestID (no replay check). */
  anonymous?: boolean;
  counter?: bigint;
  /**
   * 6.23 only: the key the harness signs the credential swap with as the CoS party (default: the CoS party key
   * its meter trusts); null sends it unsigned. A `cosSignature` in the parameters is sent as given instead.
   */
  cosKey?: KeyObject | null;
}

/**
 * Drives one MeterDevice as its supplier would: a manual clock, strictly increasing RequestID counters, the
 * supplier's signature on every command, UTRNs with increasing top-up counters, and save/reload of the state.
 * It provisions the meter's KA keys from a fresh secret and holds a fresh top-up KA key pair per supplier (the
 * meter trusts the default supplier's public half); a 6.23 sent without `topUpKey` gets the named supplier's,
 * as the hub's CoS party installs the gaining supplier's registered key.
 * For tests and simulations; it does nothing a caller could not do with MeterDevice itself.
 */
export class MeterHarness {
  readonly clock: ManualClock;
  meter: MeterDevice;
  supplierId: string = DEFAULT_SUPPLIER_ID;
  keyId: string = DEFAULT_SIGNING_KEY_ID;
  /** The CoS party's private key; its public key is in the meter's profile (unless the options gave one). */
  readonly cosPartyKey: KeyObject;
  readonly options: MeterOptions;
  /** The meter's KA key provisioning (a fresh secret per harness). */
  readonly kaKeys = new DeviceKaKeys(randomBytes(32));
  private readonly topUpKeys = new Map<string, KaKeyPair>();
  private counter = 1_000n;
  private topUpCounter = 0n;

  constructor(
    readonly deviceId: Eui64 = '00-DB-12-00-00-00-00-2A' as Eui64,
    readonly seed = 0,
    startMs = Date.UTC(2026, 2, 2),
    options: MeterOptions = {},
  ) {
    const cosParty = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.cosPartyKey = cosParty.privateKey;
    this.options = {
      cosPartyPublicKey: cosParty.publicKey,
      kaKeys: this.kaKeys,
      trustedSupplier: {
        supplierId: DEFAULT_SUPPLIER_ID,
        keyId: DEFAULT_SIGNING_KEY_ID,
        topUpKey: kaPublicKeyText(this.topUpKeyPair(DEFAULT_SUPPLIER_ID).publicKey),
      },
      ...options,
    };
    this.clock = new ManualClock(startMs);
    this.meter = new MeterDevice(deviceId, seed, this.clock.now, this.options);
  }

  /** A supplier's prepayment top-up KA key pair (made on first use). */
  topUpKeyPair(supplierId: string): KaKeyPair {
    let pair = this.topUpKeys.get(supplierId);
    if (!pair)
      this.topUpKeys.set(supplierId, (pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })));
    return pair;
  }

  nextRequestId(originator = this.supplierId): string {
    this.counter += 1n;
    return `${originator}:${this.deviceId}:${this.counter}`;
  }

  send<S extends SupportedSrv>(
    srv: S,
    params?: HarnessParams<S>,
    options: SendOptions = {},
  ): DeviceResult<SrvBodyMap[S]> {
    const originator = options.originator ?? this.supplierId;
    let requestId: string | undefined;
    if (!options.anonymous) {
      if (options.counter === undefined) requestId = this.nextRequestId(originator);
      else requestId = `${originator}:${this.deviceId}:${options.counter}`;
    }
    const signer =
      options.signer === undefined ? { supplierId: this.supplierId, keyId: this.keyId } : options.signer;
    const command: UntypedDeviceCommand = {
      srv,
      params: srv === '6.23' ? this.cosSigned(params, requestId ?? '', options.cosKey) : params,
      ...(requestId ? { requestId } : {}),
      ...(signer ? { signer } : {}),
      ...(options.executionTimeMs === undefined ? {} : { executionTimeMs: options.executionTimeMs }),
    };
    return this.meter.run(command) as DeviceResult<SrvBodyMap[S]>;
  }

  /** 6.23 parameters with the CoS party's signature over this swap (unless they carry one, or key is null). */
  private cosSigned(params: unknown, requestId: string, key: KeyObject | null = this.cosPartyKey): unknown {
    const given = params as Record<string, unknown> | undefined;
    if (!given) return params;
    const withKey: Record<string, unknown> =
      given.topUpKey === undefined && typeof given.supplierId === 'string'
        ? { ...given, topUpKey: kaPublicKeyText(this.topUpKeyPair(given.supplierId).publicKey) }
        : given;
    const p = withKey.supplierFloor === undefined ? { ...withKey, supplierFloor: '0' } : withKey;
    if (key === null || p.cosSignature !== undefined) return p;
    const swap = {
      deviceId: this.deviceId,
      requestId,
      supplierId: String(p.supplierId),
      keyId: String(p.signingKeyId),
      topUpFloor: String(p.topUpFloor),
      topUpKey: String(p.topUpKey),
      supplierFloor: String(p.supplierFloor),
      validity: p.validity === undefined ? '' : String(p.validity),
    };
    const signature = sign('sha256', credentialSwapPayload(swap), { key, dsaEncoding: 'der' });
    return { ...p, cosSignature: signature.toString('base64') };
  }

  /** A UTRN for `pence` from the harness supplier with the next top-up counter (or the one given). */
  utrn(pence: number, counter?: bigint, supplierId = this.supplierId): string {
    const value = counter ?? (this.topUpCounter += 1n << 32n);
    return createUtrn({
      supplierId,
      deviceId: this.deviceId,
      supplierTopUpKey: this.topUpKeyPair(supplierId).privateKey,
      devicePublicKey: this.kaKeys.keyPair(this.deviceId).publicKey,
      counter: value,
      pence,
    });
  }

  /** Saves the meter's state and re-activates it from the saved bytes, as a passivating runtime does. */
  reload(): Uint8Array {
    const bytes = this.meter.toBytes();
    this.meter = MeterDevice.fromState(this.deviceId, this.seed, bytes, this.clock.now, this.options);
    return bytes;
  }
}
