import {
  DccError,
  findSrv,
  formatRequestId,
  GrpcStatus,
  parseRequestId,
  type Eui64,
  type RequestId,
  type SrvDefinition,
} from '@dcc/domain';
import { AlertCode, sendable, type DeviceAlert } from './alerts.js';
import type { SrvHandler } from './commands/handler.js';
import type { Outcome } from './commands/outcome.js';
import { handlerFor } from './commands/registry.js';
import { handedOverFrom } from './commands/device-handover.js';
import type {
  DeviceCommand,
  DeviceResult,
  ImportRegisterReading,
  SrvBodyMap,
  SupportedSrv,
  UntypedDeviceCommand,
} from './commands/types.js';
import { checkSigner, trustedSupplier } from './credentials.js';
import { captureOnModeOrTariff } from './billing-triggers.js';
import { recordEvents } from './device-logs.js';
import { settleCredit } from './credit-settlement.js';
import { DeviceModel, meterProfile, type MeterOptions, type MeterProfile } from './device-model.js';
import { keyInUtrn, type KeypadDevice } from './keypad-entry.js';
import { FIRMWARE_VERSION, IMAGE_HASH, stageImage, transferFailed } from './firmware.js';
import { cancel, dueMs, schedule, takeDue } from './future-dated.js';
import {
  initialState,
  lastChangeMs,
  type JsonValue,
  type MeterState,
  type TrustedSupplier,
} from './meter-state.js';
import { advanceCounter, checkCounter } from './request-counters.js';
import {
  decodeState,
  encodeState,
  stateFromBytes,
  stateToBytes,
  type StoredMeterState,
} from './state-codec.js';
import { consumerEnableSupply, type SupplyRefusal } from './supply-state.js';
import { CANCEL_FROM_MS, DAY_MS } from './time.js';
import { recordExcursion } from './voltage.js';

export type { ImportRegisterReading };

/** An outage at least this long is reported as 0x8F36 on restoration rather than 0x8F35. */
export const LONG_OUTAGE_MS = 3 * 60 * 1000;
/** Alerts kept for the next answer when a command is refused after time was settled. */
const MAX_OUTBOX = 32;
/** How far ahead nextWakeMs looks for a prepayment threshold crossing. */
const WAKE_HORIZON_MS = 31 * DAY_MS;

/** What a spontaneous event (outage, excursion, time passing, ...) produced. */
export interface DeviceEvents {
  alerts: DeviceAlert[];
  stateChanged: boolean;
  /** Set when the event asked for something the device refused (e.g. the button on a supply not armed). */
  refusal?: SupplyRefusal;
}

/** What keying a UTRN in produced: the credit, or why it was refused (its alert is among the alerts). */
export interface KeypadEvents extends DeviceEvents {
  creditedPence?: number;
  rejection?: { reason: string; message: string };
}

/**
 * One simulated smart meter (ESME, or GSME via the GPF). It holds only what must persist between commands (a
 * MeterState, persisted through toState()/fromState()); consumption, export and voltage come from deterministic
 * models of (device id, seed, time). Pure: no I/O; time comes from the injected clock.
 *
 * run() executes one command: unsupported, malformed, unsigned or replayed commands throw DccError and leave the
 * state as it was (apart from the passage of time; alerts that produced are kept for the next answer); anything
 * the device understood returns a DeviceResult with the alerts raised. Time-driven behaviour
 * (device future-dated commands falling due, prepayment credit running out) happens lazily whenever the meter
 * is touched, timed at the instant it occurred; a runtime can also call advance() at nextWakeMs() to have the
 * alerts raised on time.
 */
export class MeterDevice {
  readonly model: DeviceModel;
  private state: MeterState;

  constructor(
    readonly deviceId: Eui64,
    seed: number,
    private readonly clock: () => number = Date.now,
    options: MeterOptions = {},
    stored?: StoredMeterState,
  ) {
    const profile = meterProfile(options);
    this.model = new DeviceModel(deviceId, seed, profile);
    this.state = stored ? decodeState(stored, profile.commissioned) : initialState(profile.commissioned);
  }

  /** Re-activates a meter from its persisted state (same device id, seed and profile as when it was saved). */
  static fromState(
    deviceId: Eui64,
    seed: number,
    stored: StoredMeterState | Uint8Array,
    clock: () => number = Date.now,
    options: MeterOptions = {},
  ): MeterDevice {
    const state = stored instanceof Uint8Array ? stateFromBytes(stored) : stored;
    return new MeterDevice(deviceId, seed, clock, options, state);
  }

  get profile(): MeterProfile {
    return this.model.profile;
  }

  /** The persistable state: JSON-safe, defaults omitted (state-codec.ts). */
  toState(): StoredMeterState {
    return encodeState(this.state, this.profile.commissioned);
  }

  toBytes(): Uint8Array {
    return stateToBytes(this.toState());
  }

  /**
   * The supplier credentials the meter trusts now: its 6.23-installed ones, else its profile's. Read on every
   * command by the adapters' transports, so no copy of the state is made for it (inspect() clones it all).
   */
  trustedSupplier(): TrustedSupplier {
    return trustedSupplier(this.state, this.model);
  }

  /** A copy of the full internal state, for inspection and tests. */
  inspect(): MeterState {
    return structuredClone(this.state);
  }

  /**
   * Runs a command by its SRV alone and returns the import registers: the 4.1.1 path the SMETS2 adapter uses.
   * Other SRVs need parameters and a richer result: use run().
   */
  execute(srv: string): ImportRegisterReading {
    if (srv === '4.1.1') return this.readInstantaneousImportRegisters();
    if (handlerFor(srv)) {
      throw new DccError(
        GrpcStatus.UNIMPLEMENTED,
        `SRV ${srv} needs MeterDevice.run(command); execute(srv) answers 4.1.1`,
      );
    }
    throw unsupported(srv);
  }

  readInstantaneousImportRegisters(): ImportRegisterReading {
    return this.run({ srv: '4.1.1' }).body!;
  }

  run<S extends SupportedSrv>(command: DeviceCommand<S>): DeviceResult<SrvBodyMap[S]>;
  run(command: UntypedDeviceCommand): DeviceResult;
  run(command: UntypedDeviceCommand): DeviceResult {
    const { srv } = command;
    const handler = handlerFor(srv);
    const definition = findSrv(srv);
    if (!handler || !definition) throw unsupported(srv);
    if (!definition.deviceTypes.includes(this.profile.deviceType)) {
      throw unsupported(srv, `a ${this.profile.deviceType} does not take it`);
    }
    const why = handler.unsupportedBy?.(this.profile);
    if (why) throw unsupported(srv, why);
    const params = handler.parse(command.params);
    const executeAt = checkExecutionTime(definition, command.executionTimeMs);
    if (this.state.outageSinceMs !== null) {
      throw DccError.duis(
        'E21',
        `device ${this.deviceId} does not respond: it has had no power since ${this.state.outageSinceMs}`,
      );
    }
    const requestId = this.checkRequestId(command.requestId);

    // Time first: what fell due before now (a future-dated 6.23, say) applies before this command is judged.
    const before = this.fingerprint();
    const at = this.now();
    const alerts = this.settleTo(at);
    const ctx = { state: this.state, device: this.model, at };
    try {
      if (definition.critical) checkSigner(this.state, this.model, srv, command.signer);
      handler.authorise?.(ctx, params, requestId ? formatRequestId(requestId) : '');
      if (requestId) checkCounter(this.state, requestId);
      handler.validate?.(ctx, params);
    } catch (error) {
      this.keep(alerts);
      throw error;
    }

    // From here on the command is the device's and every path answers.
    if (requestId) advanceCounter(this.state, requestId);
    const meterNow = at + this.state.clockOffsetMs;
    const handedOver = handedOverFrom(this.state, definition.roles);
    let outcome: Outcome<unknown> | { ok: true; kind: 'scheduled' | 'cancelled'; alerts: DeviceAlert[] };
    if (this.state.accessControlBroker !== null) {
      // Opted out (8.5): the device trusts another Access Control Broker, not the DCC's.
      outcome = {
        ok: false,
        reason: 'OPTED_OUT',
        message: "the device trusts another Access Control Broker than the DCC's (opted out, 8.5)",
        alerts: [],
      };
    } else if (handedOver) {
      outcome = {
        ok: false,
        reason: 'HANDED_OVER',
        message: `the device's ${handedOver} trust anchors belong to a party outside the DCC (handed over, 6.21)`,
        alerts: [],
      };
    } else if (!this.state.commissioned && !handler.beforeCommissioning) {
      outcome = {
        ok: false,
        reason: 'NOT_COMMISSIONED',
        message: 'the device is not commissioned (8.1.1)',
        alerts: [],
      };
    } else if (executeAt !== undefined && executeAt >= CANCEL_FROM_MS) {
      outcome = cancel(this.state, srv)
        ? { ok: true, kind: 'cancelled', alerts: [] }
        : {
            ok: false,
            reason: 'NOTHING_TO_CANCEL',
            message: `no future-dated ${srv} is pending`,
            alerts: [],
          };
    } else if (executeAt !== undefined && executeAt > meterNow) {
      outcome = handler.admit?.(ctx, params) ?? this.schedule(srv, executeAt, command.requestId, params);
    } else {
      outcome = handler.execute(ctx, params);
      if (outcome.ok) captureOnModeOrTariff(this.state, this.model, srv, at);
    }
    alerts.push(...outcome.alerts);
    return {
      srv,
      outcome: !outcome.ok ? 'rejected' : 'kind' in outcome ? outcome.kind : 'executed',
      ...(outcome.ok && 'body' in outcome ? { body: outcome.body } : {}),
      ...(!outcome.ok ? { rejection: { reason: outcome.reason, message: outcome.message } } : {}),
      alerts: this.deliver(alerts),
      meterTimeMs: meterNow,
      stateChanged: this.fingerprint() !== before,
    };
  }

  /**
   * Lets time pass up to now: future-dated commands that fell due execute (0x8F66 / 0x8F67) and prepayment
   * credit is settled (low credit, emergency credit, disablement alerts). A meter without power does nothing.
   */
  advance(): DeviceEvents {
    return this.event(() => (this.state.outageSinceMs === null ? this.settleTo(this.now()) : []));
  }

  /**
   * When something time-driven will next happen (hub clock): the earliest pending future-dated command, or the
   * next prepayment threshold crossing within 31 days. A runtime sets a durable reminder for it.
   */
  nextWakeMs(): number | undefined {
    const now = this.now();
    const candidates = this.state.pending.map((p) => dueMs(this.state, p));
    if (this.state.paymentMode === 'prepayment' && this.state.outageSinceMs === null) {
      const trial = structuredClone(this.state);
      const [first] = settleCredit(trial, this.model, now + WAKE_HORIZON_MS);
      if (first) candidates.push(first.atMs - this.state.clockOffsetMs);
    }
    return candidates.length === 0 ? undefined : Math.max(now, Math.min(...candidates));
  }

  /** The supply was lost at `atMs` (hub clock): 0x8F57. Until it is restored the device answers nothing. */
  powerOutage(atMs = this.clock()): DeviceEvents {
    return this.event(() => {
      if (this.state.outageSinceMs !== null) return [];
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at);
      this.state.outageSinceMs = at;
      this.model.metering.recordSupply(this.state, at);
      alerts.push({ code: AlertCode.SUPPLY_INTERRUPTED, atMs: at + this.state.clockOffsetMs });
      return alerts;
    });
  }

  /**
   * Power is back at `atMs`: 0x8F35, or 0x8F36 after an outage of 3 minutes or more. What fell due meanwhile
   * (future-dated commands, credit thresholds) happens now.
   */
  powerRestored(atMs = this.clock()): DeviceEvents {
    return this.event(() => {
      const since = this.state.outageSinceMs;
      if (since === null) return [];
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at, at);
      this.state.outageSinceMs = null;
      this.model.metering.recordSupply(this.state, at);
      const code =
        at - since >= LONG_OUTAGE_MS
          ? AlertCode.SUPPLY_RESTORED_AFTER_LONG_OUTAGE
          : AlertCode.SUPPLY_RESTORED;
      alerts.push({ code, atMs: at + this.state.clockOffsetMs });
      return alerts;
    });
  }

  /** The meter measured `rmsVoltageV` from `fromMs` to `toMs` (hub clock): see voltage.ts. */
  voltageExcursion(excursion: { fromMs: number; toMs: number; rmsVoltageV: number }): DeviceEvents {
    const { fromMs, toMs, rmsVoltageV } = excursion;
    if (!(toMs > fromMs) || !Number.isFinite(rmsVoltageV)) {
      throw DccError.invalidArgument('a voltage excursion needs toMs after fromMs and a voltage');
    }
    return this.event(() => {
      if (this.state.outageSinceMs !== null) return [];
      const alerts = this.settleTo(this.eventTime(toMs));
      alerts.push(...recordExcursion(this.state, excursion, this.state.clockOffsetMs));
      return alerts;
    });
  }

  /** The Communications Hub finished transferring a firmware image to the device (after 11.1): 0x8F8A. */
  firmwareTransferred(image: { imageHash: string; version: string }, atMs = this.clock()): DeviceEvents {
    if (
      !IMAGE_HASH.test(image.imageHash.toLowerCase()) ||
      !FIRMWARE_VERSION.test(image.version.toUpperCase())
    ) {
      throw DccError.invalidArgument('a firmware image needs a SHA-256 hash (64 hex) and a version (8 hex)');
    }
    return this.event(() => {
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at);
      const hash = image.imageHash;
      alerts.push(...stageImage(this.state, { hash, version: image.version }, at + this.state.clockOffsetMs));
      return alerts;
    });
  }

  /** The Communications Hub could not deliver a firmware image whole (missing or damaged): 0x8F89, nothing held. */
  firmwareTransferFailed(atMs = this.clock()): DeviceEvents {
    return this.event(() => {
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at);
      alerts.push(...transferFailed(at + this.state.clockOffsetMs));
      return alerts;
    });
  }

  /**
   * Someone at the premises keyed a UTRN in on the meter or its PPMID (keypad-entry.ts): the checks of a 2.2 over
   * the WAN, on the same state. A meter without power takes nothing (the keypad is dark): an empty result.
   */
  keyInUtrn(utrn: string, via: KeypadDevice = 'meter', atMs = this.clock()): KeypadEvents {
    let result: Pick<KeypadEvents, 'creditedPence' | 'rejection'> = {};
    const events = this.event(() => {
      if (this.state.outageSinceMs !== null) return [];
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at);
      const outcome = keyInUtrn({ state: this.state, device: this.model, at }, utrn);
      result = outcome.ok
        ? { creditedPence: outcome.body.creditedPence }
        : { rejection: { reason: outcome.reason, message: `${via}: ${outcome.message}` } };
      return [...alerts, ...outcome.alerts];
    });
    return { ...events, ...result };
  }

  /** Someone at the premises pressed the button to enable an armed supply. */
  consumerEnableSupply(atMs = this.clock()): DeviceEvents {
    let refusal: SupplyRefusal | undefined;
    const events = this.event(() => {
      const at = this.eventTime(atMs);
      const alerts = this.settleTo(at);
      refusal = consumerEnableSupply(this.state, this.model, at);
      return alerts;
    });
    return refusal ? { ...events, refusal } : events;
  }

  // ------------------------------------------------------------------------------------------------------

  /** Hub time now, never before the last change the state records (a clock stepping back does not rewind it). */
  private now(): number {
    return Math.max(this.clock(), lastChangeMs(this.state));
  }

  private eventTime(atMs: number): number {
    if (!Number.isFinite(atMs) || atMs > this.clock()) {
      throw DccError.invalidArgument(`event time ${atMs} is in the future`);
    }
    return Math.max(Math.trunc(atMs), lastChangeMs(this.state));
  }

  private checkRequestId(value: string | RequestId | undefined): RequestId | undefined {
    if (value === undefined) return undefined;
    const requestId = typeof value === 'string' ? parseRequestId(value) : value;
    if (requestId.target !== this.deviceId) {
      throw DccError.invalidArgument(
        `RequestID target ${requestId.target} is not this device (${this.deviceId})`,
      );
    }
    return requestId;
  }

  private schedule(
    srv: string,
    executeAtMs: number,
    requestId: string | RequestId | undefined,
    params: unknown,
  ) {
    const id =
      requestId === undefined ? null : typeof requestId === 'string' ? requestId : formatId(requestId);
    schedule(this.state, { srv, executeAtMs, requestId: id, params: (params ?? null) as JsonValue });
    return { ok: true as const, kind: 'scheduled' as const, alerts: [] };
  }

  /** Settles time up to `to`, running the future-dated commands that fall due on the way, in time order. */
  private settleTo(to: number, notBefore = Number.NEGATIVE_INFINITY): DeviceAlert[] {
    const alerts: DeviceAlert[] = [];
    for (let due = takeDue(this.state, to); due; due = takeDue(this.state, to)) {
      const at = Math.min(to, Math.max(dueMs(this.state, due), lastChangeMs(this.state), notBefore));
      alerts.push(...settleCredit(this.state, this.model, at, notBefore));
      const handler = handlerFor(due.srv) as SrvHandler<unknown, unknown>;
      const outcome = handler.execute({ state: this.state, device: this.model, at }, due.params);
      if (outcome.ok) captureOnModeOrTariff(this.state, this.model, due.srv, at);
      const code = outcome.ok ? AlertCode.FUTURE_DATED_EXECUTED : AlertCode.FUTURE_DATED_FAILED;
      alerts.push(...outcome.alerts, {
        code,
        atMs: at + this.state.clockOffsetMs,
        ...(due.requestId ? { requestId: due.requestId } : {}),
      });
    }
    alerts.push(...settleCredit(this.state, this.model, to, notBefore));
    return alerts;
  }

  private event(happen: () => DeviceAlert[]): DeviceEvents {
    const before = this.fingerprint();
    const alerts = happen();
    return { alerts: this.deliver(alerts), stateChanged: this.fingerprint() !== before };
  }

  /**
   * Alerts, with any kept from a refused command first, minus those 6.22 disabled, in time order. The new ones
   * are recorded in the device's logs first (device-logs.ts), sent or not.
   */
  private deliver(alerts: DeviceAlert[]): DeviceAlert[] {
    recordEvents(this.state, this.profile.deviceType, alerts);
    const all = this.state.outbox.length > 0 ? [...this.state.outbox, ...alerts] : alerts;
    this.state.outbox = [];
    return sendable(this.state, all).sort((a, b) => a.atMs - b.atMs);
  }

  /** Keeps alerts for the next answer (bounded: the oldest go first). */
  private keep(alerts: DeviceAlert[]): void {
    recordEvents(this.state, this.profile.deviceType, alerts);
    const kept = sendable(this.state, [...this.state.outbox, ...alerts]);
    this.state.outbox = kept.slice(-MAX_OUTBOX);
  }

  private fingerprint(): string {
    return JSON.stringify(this.toState());
  }
}

function unsupported(srv: string, why?: string): DccError {
  const message = `SRV ${srv} is not supported by this device model`;
  return new DccError(GrpcStatus.UNIMPLEMENTED, why ? `${message}: ${why}` : message);
}

function checkExecutionTime(
  definition: SrvDefinition,
  executionTimeMs: number | undefined,
): number | undefined {
  if (executionTimeMs === undefined) return undefined;
  if (!Number.isSafeInteger(executionTimeMs) || executionTimeMs < 0) {
    throw DccError.invalidArgument(`execution date-time ${executionTimeMs} is not a time`);
  }
  if (definition.futureDated !== 'Device' && definition.futureDated !== 'DSP+Device') {
    const dsp =
      definition.futureDated === 'DSP' ? ' (DSP future-dating: the hub holds the request until then)' : '';
    throw DccError.invalidArgument(`SRV ${definition.srv} cannot be future-dated on the device${dsp}`);
  }
  return executionTimeMs;
}

function formatId(id: RequestId): string {
  return `${id.originator}:${id.target}:${id.counter}`;
}
