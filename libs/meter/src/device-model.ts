import { fnv1a32, type DeviceType, type EsmeVariant, type Eui64, type SmetsGeneration } from '@dcc/domain';
import type { KeyObject } from 'node:crypto';
import { ConsumptionModel } from './consumption-model.js';
import type { DeviceKaKeys } from './device-ka-keys.js';
import { ExportModel } from './export-model.js';
import { mix32 } from './hash-mix.js';
import type { TrustedSupplier } from './meter-state.js';
import { Metering } from './metering.js';
import { HALF_HOUR_MS } from './time.js';
import { WeeklySeries } from './weekly-series.js';

/** The DCC Boxed development supplier User (README): the supplier a simulated meter trusts out of the box. */
export const DEFAULT_SUPPLIER_ID = '90-B3-D5-1F-30-01-00-00';
export const DEFAULT_SIGNING_KEY_ID = '1';
export const DEFAULT_FIRMWARE_VERSION = '02010000';

/**
 * What kind of meter this is: fixed for the device's life, so it is configuration (from the fleet or the
 * inventory), never part of the persisted state. The runtime must rebuild a meter with the same profile.
 */
export interface MeterProfile {
  /**
   * The device's type, as the inventory records it: the meters (ESME, GSME) and the other devices the hub
   * addresses (CHF, GPF, PPMID, HCALCS, IHD), which take only the SRVs the catalogue gives their type.
   */
  deviceType: DeviceType;
  generation: SmetsGeneration;
  /**
   * An ESME's variant as the inventory records it (DUIS ESMEVariant): a poly-phase one (C…) takes per-phase
   * voltage settings, a single- or twin-element one (A…, B…) single-phase ones. Default A.
   */
  esmeVariant: EsmeVariant;
  /** The premises export (generation on site): 4.2 and 4.8.3 report real figures instead of zeros. */
  hasExport: boolean;
  /**
   * SMETS1 difference: the device keeps no daily (midnight) read log. 4.6.1 is then answered from the
   * half-hourly profile (the register at the end of each day's last half hour, which equals the midnight
   * reading) and says so with source "derived-from-profile", as an S1 service provider would have to.
   */
  noMidnightRead: boolean;
  /** SMETS1 difference: no TOU matrices, so 4.1.2 is not supported. */
  noTouMatrices: boolean;
  /** Initial state: a meter of the simulated fleet is in service; a factory-new one awaits 8.1.1. */
  commissioned: boolean;
  trustedSupplier: TrustedSupplier;
  firmwareVersion: string;
  /**
   * The Change of Supplier party's public key (ECDSA P-256), installed with the device's trust anchors: a 6.23
   * credential swap is accepted only with its signature. None configured: every 6.23 is refused.
   */
  cosPartyPublicKey: KeyObject | undefined;
  /**
   * Where the device's own KA key pair comes from (its manufacturer's provisioning, device-ka-keys.ts). None: the
   * device has no KA key and verifies no UTRN. The supplier's top-up key is not here: it is a credential the
   * device is given with its trusted supplier (trustedSupplier.topUpKey, then 6.23).
   */
  kaKeys: DeviceKaKeys | undefined;
}

export type MeterOptions = Partial<MeterProfile>;

export function meterProfile(options: MeterOptions = {}): MeterProfile {
  const smets1 = options.generation === 'SMETS1';
  return {
    deviceType: options.deviceType ?? 'ESME',
    generation: options.generation ?? 'SMETS2',
    esmeVariant: options.esmeVariant ?? 'A',
    hasExport: options.hasExport ?? false,
    noMidnightRead: options.noMidnightRead ?? smets1,
    noTouMatrices: options.noTouMatrices ?? smets1,
    commissioned: options.commissioned ?? true,
    trustedSupplier: options.trustedSupplier ?? {
      supplierId: DEFAULT_SUPPLIER_ID,
      keyId: DEFAULT_SIGNING_KEY_ID,
      topUpKey: null,
    },
    firmwareVersion: options.firmwareVersion ?? DEFAULT_FIRMWARE_VERSION,
    cosPartyPublicKey: options.cosPartyPublicKey,
    kaKeys: options.kaKeys,
  };
}

/** The derivable, stateless half of a meter: its identity, profile and deterministic physics. */
export class DeviceModel {
  readonly consumption: ConsumptionModel;
  readonly imports: WeeklySeries;
  readonly exports: WeeklySeries | undefined;
  readonly metering: Metering;
  /** Seed of the device's voltage noise. */
  readonly voltageKey: number;

  constructor(
    readonly deviceId: Eui64,
    readonly seed: number,
    readonly profile: MeterProfile,
  ) {
    this.consumption = new ConsumptionModel(deviceId, seed);
    this.imports = new WeeklySeries((i) => this.consumption.halfHourWh(i * HALF_HOUR_MS));
    const exportModel = profile.hasExport ? new ExportModel(deviceId, seed) : undefined;
    this.exports = exportModel ? new WeeklySeries((i) => exportModel.slotWh(i)) : undefined;
    this.metering = new Metering(
      this.imports,
      this.consumption.initialWh,
      this.exports,
      exportModel?.initialWh ?? 0,
      (t) => this.consumption.touRegistersWh(t),
    );
    this.voltageKey = mix32(fnv1a32(deviceId), seed ^ 0x7017);
  }

  /** The device's own KA private key (UTRN verification), or undefined when it was provisioned without one. */
  kaPrivateKey(): KeyObject | undefined {
    return this.profile.kaKeys?.keyPair(this.deviceId).privateKey;
  }
}
