import { DccError, GrpcStatus } from '@dcc/domain';
import { NO_LINK } from './linked-devices.js';
import { keyFromWords, keyHigh, keyLow, mpxnFromKey, mpxnKey } from './mpxn-key.js';

/** No description recorded: detail number 0 is always the empty one. */
const NO_DETAILS = 0;
/** Detail numbers are two bytes: distinct descriptions of an estate's devices are thousands, not millions. */
const MAX_DETAILS = 0xffff;

/**
 * What the inventory says a device is, beyond its type: its model, firmware, manufacturer, the SMETS/CHTS version
 * it meets and, for an ESME, its variant (DUIS ESMEVariant: A single element, B twin element, C poly-phase, with D
 * for ALCS and E for a boost function). Empty text: not recorded. Many devices share one, so it is stored once.
 */
export interface DeviceDescription {
  model: string;
  firmwareVersion: string;
  manufacturer: string;
  smetsChtsVersion: string;
  esmeVariant: string;
}

const EMPTY: DeviceDescription = Object.freeze({
  model: '',
  firmwareVersion: '',
  manufacturer: '',
  smetsChtsVersion: '',
  esmeVariant: '',
});

/**
 * What the Smart Metering Inventory and the registration record say beyond what authorisation needs (the
 * RegistryView), in columns beside the view's: per point its UPRN, its meter's description (model, firmware, …)
 * and comms hub; per linked-device row (the view's row numbers) its description; and, for "the devices at a
 * point", a chain through the linked-device rows joined to each point. About 22 bytes per point and 10 per
 * linked device, where one JS object per device would cost hundreds and a Map stops at 16.7 M entries.
 */
export class InventoryDetails {
  /** UPRN as a digit-count key (mpxn-key.ts), two uint32 words; (0, 0) = none. */
  private readonly uprns: Uint32Array;
  private readonly meterDetails: Uint16Array;
  /** The linked-device row of each point's meter's comms hub, NO_LINK when none. */
  private readonly meterHubs: Int32Array;
  /** First link (row * 2 + which of the row's two points) of the chain of devices joined to each point. */
  private readonly firstLink: Int32Array;
  private linkedDetails = new Uint16Array(1024);
  /** Next link in the chain, per row and point slot. */
  private nextLink = new Int32Array(2048).fill(NO_LINK);
  private readonly detailNumbers = new Map<string, number>();
  private readonly descriptions: DeviceDescription[] = [EMPTY];

  constructor(capacity: number) {
    this.uprns = new Uint32Array(capacity * 2);
    this.meterDetails = new Uint16Array(capacity);
    this.meterHubs = new Int32Array(capacity).fill(NO_LINK);
    this.firstLink = new Int32Array(capacity).fill(NO_LINK);
    this.detailNumbers.set('\u0000', NO_DETAILS);
  }

  setUprn(point: number, uprn: string): void {
    const key = uprn === '' ? 0 : mpxnKey(uprn);
    if (key < 0) throw DccError.invalidArgument(`UPRN "${uprn}" is not 1-12 digits`);
    this.uprns[point * 2] = keyHigh(key);
    this.uprns[point * 2 + 1] = keyLow(key);
  }

  uprn(point: number): string {
    const key = keyFromWords(this.uprns[point * 2]!, this.uprns[point * 2 + 1]!);
    return key === 0 ? '' : mpxnFromKey(key);
  }

  setMeter(point: number, description: DeviceDescription, hubRow: number): void {
    this.meterDetails[point] = this.detailNumber(description);
    this.meterHubs[point] = hubRow;
  }

  meterDescription(point: number): DeviceDescription {
    return this.descriptions[this.meterDetails[point]!]!;
  }

  meterHub(point: number): number {
    return this.meterHubs[point]!;
  }

  setLinked(row: number, description: DeviceDescription): void {
    this.ensureRow(row);
    this.linkedDetails[row] = this.detailNumber(description);
  }

  linkedDescription(row: number): DeviceDescription {
    return this.descriptions[this.linkedDetails[row]!]!;
  }

  /** Joins linked-device `row` to `point` as its point number `slot` (0 or 1), at the head of the chain. */
  link(point: number, row: number, slot: 0 | 1): void {
    this.ensureRow(row);
    const link = row * 2 + slot;
    this.nextLink[link] = this.firstLink[point]!;
    this.firstLink[point] = link;
  }

  /** Takes `row` (as slot `slot`) out of `point`'s chain; nothing when it is not in it. */
  unlink(point: number, row: number, slot: 0 | 1): void {
    const link = row * 2 + slot;
    let previous = NO_LINK;
    for (let at = this.firstLink[point]!; at !== NO_LINK; previous = at, at = this.nextLink[at]!) {
      if (at !== link) continue;
      if (previous === NO_LINK) this.firstLink[point] = this.nextLink[at]!;
      else this.nextLink[previous] = this.nextLink[at]!;
      this.nextLink[at] = NO_LINK;
      return;
    }
  }

  /** The linked-device rows joined to `point`, most recently joined first. */
  linkedRowsAt(point: number): number[] {
    const rows: number[] = [];
    for (let at = this.firstLink[point]!; at !== NO_LINK; at = this.nextLink[at]!) rows.push(at >>> 1);
    return rows;
  }

  columnBytes(): Record<string, number> {
    return {
      uprn: this.uprns.byteLength,
      meterDetails: this.meterDetails.byteLength,
      meterHub: this.meterHubs.byteLength,
      firstLink: this.firstLink.byteLength,
      linkedDetails: this.linkedDetails.byteLength,
      nextLink: this.nextLink.byteLength,
    };
  }

  private detailNumber(d: DeviceDescription): number {
    const fields = [d.model, d.firmwareVersion, d.manufacturer, d.smetsChtsVersion, d.esmeVariant];
    if (fields.every((field) => field === '')) return NO_DETAILS;
    const key = fields.join('\u0000');
    let number = this.detailNumbers.get(key);
    if (number === undefined) {
      if (this.descriptions.length > MAX_DETAILS) {
        throw new DccError(
          GrpcStatus.RESOURCE_EXHAUSTED,
          `more than ${MAX_DETAILS} distinct device descriptions`,
        );
      }
      number = this.descriptions.length;
      const [model, firmwareVersion, manufacturer, smetsChtsVersion, esmeVariant] = fields as [
        string,
        string,
        string,
        string,
        string,
      ];
      this.descriptions.push(
        Object.freeze({ model, firmwareVersion, manufacturer, smetsChtsVersion, esmeVariant }),
      );
      this.detailNumbers.set(key, number);
    }
    return number;
  }

  /** The row columns grow by doubling with the view's linked-device table. */
  private ensureRow(row: number): void {
    if (row < this.linkedDetails.length) return;
    let size = this.linkedDetails.length;
    while (size <= row) size *= 2;
    const details = new Uint16Array(size);
    details.set(this.linkedDetails);
    const next = new Int32Array(size * 2).fill(NO_LINK);
    next.set(this.nextLink);
    this.linkedDetails = details;
    this.nextLink = next;
  }
}
