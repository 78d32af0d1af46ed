import type { Eui64 } from '@dcc/domain';
import type {
  DeviceAlert,
  DeviceResult,
  KeypadDevice,
  TrustedSupplier,
  UntypedDeviceCommand,
} from '@dcc/meter';
import type { DeviceGridEvent, MeterCommand } from '@dcc/proto';

/**
 * What differs per meter generation: how a command reaches one device and how its answer comes back. Everything
 * else an adapter does (consuming METER_MAIL, the actor's turn, body → device call, critical verification,
 * response building, publishing on RESPONSES, state and reminders) is this library's and the same for every
 * generation.
 *
 * `L` is the adapter's link to one device, kept in the device's actor while it is active. The library stores
 * what `save` returns (a journal on JetStream, LMDB as working set) and hands it back to `open` on the next activation,
 * so a transport can keep a simulated device's state, or a delivery model's pending retries, across restarts.
 *
 * Failures are `DccError`s: one with a DUIS response code (E20 no path, E21 device unresponsive, …) or a final
 * gRPC status is the User's answer; UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED or ABORTED without a
 * response code leave the command in METER_MAIL to be delivered again.
 */
export interface DeviceTransport<L> {
  /**
   * The link to a device, on its activation. `stored` is what `save` returned last (undefined: nothing stored).
   * Undefined when this adapter has no communications path to the device: its commands are answered E20.
   */
  open(deviceId: Eui64, stored: Uint8Array | undefined): L | undefined;
  /** What to store of the link after a turn that changed it. */
  save(link: L): Uint8Array;
  /**
   * The turn is over and the link is as stored (its `save` was stored, or it did not change): the link may drop
   * what it can rebuild from that when a later turn needs it, so an active device costs little between turns.
   * Whatever it drops must be as a new activation from the stored bytes would have it. Absent: kept as is.
   */
  rest?(link: L): void;
  /** The supplier key the device trusts now: critical commands must be signed with it (critical-verification.ts). */
  trustedSupplier(link: L): TrustedSupplier;
  /**
   * Delivers one command and resolves with the device's answer (a device refusal by its own rules is a result
   * with outcome "rejected"; a command it cannot take throws). `stateChanged` tells the library to store it.
   * `stored` is the accepted command it came from: the User's request as access control stored it and the
   * inventory's facts about the device at request time (e.g. a SMETS1 device's cohort). The library always
   * passes it; it is optional so a transport can be driven on its own (unit tests) when it needs none of it.
   */
  send(link: L, command: UntypedDeviceCommand, stored?: MeterCommand): DeviceResult | Promise<DeviceResult>;
  /** When the link next needs a turn without a command (a future-dated command falls due, a retry); undefined: never. */
  nextWakeMs(link: L): number | undefined;
  /**
   * That turn: lets time pass on the link and returns the alerts the device raised meanwhile (a future-dated
   * command's 8F66/8F67, prepayment thresholds); the library stores them on ALERTS, then the link's state.
   */
  wake(link: L): readonly DeviceAlert[] | Promise<readonly DeviceAlert[]>;
  /**
   * A simulated network event at the device (supply lost or back, a voltage measured; grid-event.ts) and the
   * alerts the device raised for it. Absent: the transport's devices take no such events (they are dropped).
   */
  gridEvent?(link: L, event: DeviceGridEvent): readonly DeviceAlert[];
  /**
   * A UTRN keyed in at the premises on the device or its PPMID (a simulated consumer's act at the device edge,
   * not a delivery): the device's alerts. Absent: the transport's devices have no keypad (entries are dropped).
   */
  keyIn?(link: L, utrn: string, via: KeypadDevice, atMs: number): readonly DeviceAlert[];
  /**
   * The device's Communications Hub forwards a firmware image to it (firmware-transfer.ts): `image` is the hash
   * and version of an image that arrived whole, undefined when it did not; `deviceType` is the inventory's.
   * Returns the device's transfer alerts. Absent: the transport's devices take no firmware (transfers dropped).
   */
  firmwareTransfer?(
    link: L,
    image: { imageHash: string; version: string } | undefined,
    deviceType: string,
  ): readonly DeviceAlert[];
}
