import type { ActorContext, ActorMessage, VirtualActor } from '@dcc/actors';
import type { DeviceAlert } from '@dcc/meter';
import {
  decode,
  extractTraceContext,
  inSpan,
  isFirmwareTransferMail,
  SpanKind,
  type DurablePublisher,
} from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import {
  DeviceGridEvent,
  FirmwareTransfer,
  KeypadDevice,
  MeterCommand,
  type KeypadEntry,
  type ServiceResponse,
} from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { Context } from '@opentelemetry/api';
import { createCommandHandler } from './command-handler.js';
import type { SupplierKeys } from './critical-verification.js';
import type { DeviceTransport } from './device-transport.js';
import { openSession, runOnDevice, type DeviceSession } from './device-turn.js';
import { publishAlerts, type AlertSource } from './alert-egress.js';
import { transferFirmware, type FirmwareImageSource } from './firmware-transfer.js';
import { isGridEventMail } from './grid-event.js';
import type { InventoryEffects } from './inventory-effects.js';
import { alertOf } from './srv-results.js';

/** The reminder each device keeps at the transport's `nextWakeMs` (future-dated commands, prepayment thresholds). */
export const WAKE_REMINDER = 'wake';

/**
 * A device in the actor runtime: its session (absent for a device the transport has no path to: such commands
 * are answered E20) and the wake time of its stored reminder as far as this activation knows (`null`: none;
 * undefined: not known yet).
 */
export interface DeviceSlot<L> {
  session?: DeviceSession<L>;
  wake?: number | null;
}

export interface DeliveryActorOptions<L> {
  transport: DeviceTransport<L>;
  supplierKeys: SupplierKeys;
  /** Stores each response on the User's subject in RESPONSES and each alert on the device's in ALERTS. */
  publisher: DurablePublisher;
  log: Pick<Logger, 'error'>;
  clock?: () => number;
  /** What an executed command changes in the inventory (inventory-links.ts); none: the inventory is not told. */
  inventory?: InventoryEffects;
  /** The hub's firmware images (11.1, 11.4), read when a device's comms hub forwards one; none: transfers fail. */
  firmwareImages?: FirmwareImageSource;
}

/**
 * A device as a virtual actor (libs/actors): state = the transport's saved link, activation = `transport.open`.
 * A command runs on the device, its response is stored on the User's stream, then the runtime stores the
 * link's state (write-through) and acknowledges the command.
 */
export class DeliveryActor<L> implements VirtualActor<DeviceSlot<L>> {
  /** Commands answered, and commands dropped as malformed (never answerable). */
  readonly stats = { commandsExecuted: 0, commandsRejected: 0 };
  private readonly transport: DeviceTransport<L>;
  private readonly clock: () => number;
  private readonly handle: ReturnType<typeof createCommandHandler>;

  constructor(private readonly options: DeliveryActorOptions<L>) {
    this.transport = options.transport;
    this.clock = options.clock ?? Date.now;
    this.handle = createCommandHandler(options.publisher, this.clock, options.inventory);
  }

  load(id: string, stored: Uint8Array | undefined): DeviceSlot<L> {
    let deviceId;
    try {
      deviceId = parseEui64(id);
    } catch {
      return {}; // not a device id: its commands are answered E20
    }
    const session = openSession(this.transport, deviceId, stored);
    return session ? { session } : {};
  }

  save(slot: DeviceSlot<L>): Uint8Array {
    const link = slot.session!.link;
    const bytes = this.transport.save(link);
    this.transport.rest?.(link); // the runtime stores these bytes before the turn ends (else it unloads the actor)
    return bytes;
  }

  async receive(
    slot: DeviceSlot<L>,
    message: ActorMessage,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    const changed = await this.turn(slot, message, ctx);
    // Nothing to store: the device is as stored, and its link may rest until the next turn (a changed one rests
    // once saved).
    if (changed === undefined && slot.session) this.transport.rest?.(slot.session.link);
    return changed;
  }

  private async turn(
    slot: DeviceSlot<L>,
    message: ActorMessage,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    if (message.kind === 'reminder') return this.wake(slot, ctx);
    if (isGridEventMail(message.headers)) return this.gridEvent(slot, message, ctx);
    if (isFirmwareTransferMail(message.headers)) return this.firmwareTransfer(slot, message, ctx);
    let command: MeterCommand;
    try {
      command = decode(MeterCommand, message.data, 'meter command');
    } catch (error) {
      this.rejected(DccError.from(error), message.subject);
      return undefined;
    }
    if (command.keypadEntry) return this.keyIn(slot, command.keypadEntry, ctx);
    try {
      await inSpan(
        'meter command process',
        SpanKind.CONSUMER,
        extractTraceContext(message.headers),
        { 'messaging.system': 'nats', 'messaging.destination.name': message.subject ?? '' },
        (_span, trace) => this.handle(command, (c) => this.run(slot, c, trace), trace),
      );
    } catch (error) {
      const failure = DccError.from(error);
      if (failure.status !== GrpcStatus.INVALID_ARGUMENT) throw error; // redelivered
      this.rejected(failure, message.subject);
      return undefined;
    }
    this.stats.commandsExecuted++;
    return this.changed(slot, ctx);
  }

  private run(slot: DeviceSlot<L>, command: MeterCommand, trace: Context): Promise<ServiceResponse> {
    const session = slot.session;
    if (!session) throw DccError.duis('E20', `no communications path to device ${command.deviceId}`);
    return inSpan(
      'meter execute',
      SpanKind.INTERNAL,
      trace,
      { 'dcc.device_id': session.deviceId, 'dcc.srv': command.request?.serviceReferenceVariant ?? '' },
      () => runOnDevice(session, command, this.transport, this.options.supplierKeys, this.clock),
    );
  }

  /** A command that can never be handled (malformed) is dropped (acknowledged) after it is logged. */
  private rejected(error: DccError, subject: string | undefined): void {
    this.stats.commandsRejected++;
    this.options.log.error({ err: error, subject }, 'meter command rejected');
  }

  /** A state to store when the device changed, after its wake reminder follows its next wake time. */
  private async changed(slot: DeviceSlot<L>, ctx: ActorContext): Promise<DeviceSlot<L> | undefined> {
    const session = slot.session;
    if (!session?.dirty) return undefined;
    await this.rearm(slot, session, ctx);
    session.dirty = false;
    return slot;
  }

  private async wake(slot: DeviceSlot<L>, ctx: ActorContext): Promise<DeviceSlot<L> | undefined> {
    const session = slot.session;
    if (!session) return undefined;
    // Future-dated commands that fell due execute now (0x8F66/0x8F67) and prepayment credit is settled. The
    // alerts this raises are stored on ALERTS before the device's state and the reminder's deletion: a failure
    // in between unloads the actor and the reminder fires again on the state stored before, raising the same
    // alerts, which the stream drops as duplicates of those already stored.
    const alerts = await this.transport.wake(session.link);
    slot.wake = undefined; // the reminder that fired is deleted after this turn
    return this.alertsThenState(slot, session, alerts, { occasion: 'wake' }, ctx);
  }

  /** The device's alerts stored on ALERTS, then its changed state (a redelivery raises them again: dropped). */
  private async alertsThenState(
    slot: DeviceSlot<L>,
    session: DeviceSession<L>,
    alerts: readonly DeviceAlert[],
    source: AlertSource,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    await publishAlerts(this.options.publisher, session.deviceId, alerts.map(alertOf), source, this.clock());
    session.dirty = true;
    return this.changed(slot, ctx);
  }

  /**
   * A network event at the device edge (the adapter's grid simulation): the device's alerts for it are stored on
   * ALERTS, then its state, before the mail is acknowledged; a redelivery after a crash in between finds the
   * state from before and raises the same alerts, which ALERTS drops as duplicates.
   */
  private gridEvent(
    slot: DeviceSlot<L>,
    message: ActorMessage,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    return this.edgeMail(slot, message, ctx, { occasion: 'grid' }, (session) => {
      const event = decode(DeviceGridEvent, message.data, 'grid event');
      if (!session || !this.transport.gridEvent) {
        throw DccError.invalidArgument(`device ${event.deviceId} takes no simulated network events here`);
      }
      return this.transport.gridEvent(session.link, event);
    });
  }

  /**
   * A firmware image forwarded by the device's comms hub (firmware-transfer.ts): its transfer alerts are stored on
   * ALERTS, then the device's state (the image's hash and version), before the mail is acknowledged. A device
   * refusal (a response code: e.g. a type the device edge does not model) is final, as is bad mail.
   */
  private firmwareTransfer(
    slot: DeviceSlot<L>,
    message: ActorMessage,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    return this.edgeMail(
      slot,
      message,
      ctx,
      { occasion: 'firmwareTransfer' },
      (session) => {
        const transfer = decode(FirmwareTransfer, message.data, 'firmware transfer');
        if (!session) throw DccError.invalidArgument(`no communications path to device ${transfer.deviceId}`);
        return transferFirmware(this.transport, session.link, transfer, this.options.firmwareImages);
      },
      (failure) => Boolean(failure.responseCode),
    );
  }

  /**
   * Mail from the device edge that makes the device raise alerts: the alerts, then the state (alertsThenState).
   * Mail refused as INVALID_ARGUMENT (or by `final`) is dropped with a log line; any other failure (e.g. a store
   * unavailable) is redelivered.
   */
  private async edgeMail(
    slot: DeviceSlot<L>,
    message: ActorMessage,
    ctx: ActorContext,
    source: AlertSource,
    alertsOf: (
      session: DeviceSession<L> | undefined,
    ) => readonly DeviceAlert[] | Promise<readonly DeviceAlert[]>,
    final: (failure: DccError) => boolean = () => false,
  ): Promise<DeviceSlot<L> | undefined> {
    const session = slot.session;
    let alerts: readonly DeviceAlert[];
    try {
      alerts = await alertsOf(session);
    } catch (error) {
      const failure = DccError.from(error);
      if (failure.status !== GrpcStatus.INVALID_ARGUMENT && !final(failure)) throw error; // redelivered
      this.rejected(failure, message.subject);
      return undefined;
    }
    return this.alertsThenState(slot, session!, alerts, source, ctx);
  }

  /**
   * A UTRN keyed in at the premises (DeviceEdgeService.KeyInUtrn): the device checks it as it would a 2.2 and
   * its alerts are stored on ALERTS before its state, as after a wake (a redelivered entry runs again on the
   * state stored before and raises the same alerts, which the stream drops as duplicates).
   */
  private async keyIn(
    slot: DeviceSlot<L>,
    entry: KeypadEntry,
    ctx: ActorContext,
  ): Promise<DeviceSlot<L> | undefined> {
    const session = slot.session;
    if (!session || !this.transport.keyIn) return undefined;
    const via = entry.via === KeypadDevice.KEYPAD_DEVICE_PPMID ? 'ppmid' : 'meter';
    const keyedAt = Math.min(Number(entry.keyedAtMs), this.clock());
    const alerts = this.transport.keyIn(session.link, entry.utrn, via, keyedAt);
    return this.alertsThenState(slot, session, alerts, { occasion: 'keypad' }, ctx);
  }

  private async rearm(slot: DeviceSlot<L>, session: DeviceSession<L>, ctx: ActorContext): Promise<void> {
    const next = this.transport.nextWakeMs(session.link) ?? null;
    if (next === slot.wake) return;
    if (next === null) await ctx.cancelReminder(WAKE_REMINDER);
    else await ctx.remind(WAKE_REMINDER, next);
    slot.wake = next;
  }
}
