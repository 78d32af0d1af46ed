import { DccError, GrpcStatus } from '@dcc/domain';
import { APPOINTMENT_ROLE_COUNT, APPOINTMENT_ROLE_NAMES, NO_PARTY, type AppointmentRole } from './codes.js';
import { AppointmentLog } from './appointment-log.js';
import { startSeconds } from './instants.js';

/** One holding of a role, as {@link PointAppointments.history} reports it. */
export interface Appointment {
  role: AppointmentRole;
  /** Party index; NO_PARTY for a period in which nobody held the role. */
  party: number;
  fromMs: number;
  /** When the next holding started; undefined for the current one. */
  toMs: number | undefined;
}

/**
 * Effective-dated appointments of every point, for the four roles. The current holding of each (point, role)
 * is in two interleaved columns (party: 2 bytes, start in seconds: 4 bytes; a point's four roles share a cache
 * line), because nearly every query asks about now. Superseded holdings go to the {@link AppointmentLog},
 * chained per point from `heads`, so "who held R at T" for a past T walks only that point's few changes.
 *
 * Holdings only move forward: an appointment starting before the current one is refused, since inserting
 * into the middle of a chain would cost a rewrite; retrospective corrections rebuild the view from the record.
 */
export class PointAppointments {
  private readonly holders: Uint16Array;
  private readonly starts: Uint32Array;
  private readonly heads: Int32Array;
  private readonly log: AppointmentLog;

  constructor(capacity: number, historyCapacity: number) {
    this.holders = new Uint16Array(capacity * APPOINTMENT_ROLE_COUNT);
    this.starts = new Uint32Array(capacity * APPOINTMENT_ROLE_COUNT);
    this.heads = new Int32Array(capacity).fill(-1);
    this.log = new AppointmentLog(historyCapacity);
  }

  /**
   * `party` holds `role` from `fromMs` (a whole second) on. Re-appointing the current holder changes nothing
   * (feeds are re-sent); a different party at the current start replaces the holding it corrects (that holding
   * never covered an instant); a later start moves the current holding into the history.
   */
  appoint(point: number, role: AppointmentRole, party: number, fromMs: number): void {
    const from = startSeconds(fromMs);
    const at = point * APPOINTMENT_ROLE_COUNT + role;
    const currentParty = this.holders[at]!;
    const currentStart = this.starts[at]!;
    if (from < currentStart) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `${APPOINTMENT_ROLE_NAMES[role]} appointment from ${iso(from)} precedes the current one from ` +
          `${iso(currentStart)}; the view only appends (rebuild it to correct the past)`,
      );
    }
    if (party === currentParty) return;
    if (from > currentStart && (currentParty !== NO_PARTY || currentStart !== 0)) {
      this.heads[point] = this.log.append(role, currentParty, currentStart, this.heads[point]!);
    }
    this.holders[at] = party;
    this.starts[at] = from;
  }

  holder(point: number, role: AppointmentRole): number {
    return this.holders[point * APPOINTMENT_ROLE_COUNT + role]!;
  }

  /** Start of the current holding in ms (0 when it has held since the beginning of the record). */
  holderSinceMs(point: number, role: AppointmentRole): number {
    return this.starts[point * APPOINTMENT_ROLE_COUNT + role]! * 1_000;
  }

  /** The party that held `role` at `instantMs` (any millisecond), or NO_PARTY. */
  holderAt(point: number, role: AppointmentRole, instantMs: number): number {
    const at = point * APPOINTMENT_ROLE_COUNT + role;
    if (instantMs >= this.starts[at]! * 1_000) return this.holders[at]!;
    const log = this.log;
    // Entries of one role get later starts as the chain gets newer, so the first one started by T is it.
    for (let entry = this.heads[point]!; entry >= 0; entry = log.previous(entry)) {
      if (log.role(entry) === role && log.startSeconds(entry) * 1_000 <= instantMs) return log.party(entry);
    }
    return NO_PARTY;
  }

  /**
   * Start (ms) of the holding of `role` in effect at `instantMs`, reaching back over earlier holdings by the
   * same party that it continues without a gap; 0 when it has held since the beginning of the record, -1 when
   * nobody held the role then. Allocates nothing (the authorisation path asks it).
   */
  holdingStartAt(point: number, role: AppointmentRole, instantMs: number): number {
    const at = point * APPOINTMENT_ROLE_COUNT + role;
    const log = this.log;
    let party: number;
    let start: number;
    let entry = this.heads[point]!;
    if (instantMs >= this.starts[at]! * 1_000) {
      party = this.holders[at]!;
      start = this.starts[at]!;
    } else {
      for (; entry >= 0; entry = log.previous(entry)) {
        if (log.role(entry) === role && log.startSeconds(entry) * 1_000 <= instantMs) break;
      }
      if (entry < 0) return -1;
      party = log.party(entry);
      start = log.startSeconds(entry);
      entry = log.previous(entry);
    }
    if (party === NO_PARTY) return -1;
    for (; entry >= 0; entry = log.previous(entry)) {
      if (log.role(entry) !== role) continue;
      if (log.party(entry) !== party) break;
      start = log.startSeconds(entry);
    }
    return start * 1_000;
  }

  /** Every holding of `role` at `point`, newest first (the current one first when there is one). */
  history(point: number, role: AppointmentRole): Appointment[] {
    const result: Appointment[] = [];
    const at = point * APPOINTMENT_ROLE_COUNT + role;
    let toMs: number | undefined;
    if (this.holders[at] !== NO_PARTY || this.starts[at] !== 0) {
      toMs = this.starts[at]! * 1_000;
      result.push({ role, party: this.holders[at]!, fromMs: toMs, toMs: undefined });
    }
    const log = this.log;
    for (let entry = this.heads[point]!; entry >= 0; entry = log.previous(entry)) {
      if (log.role(entry) !== role) continue;
      const fromMs = log.startSeconds(entry) * 1_000;
      result.push({ role, party: log.party(entry), fromMs, toMs });
      toMs = fromMs;
    }
    return result;
  }

  get historyLength(): number {
    return this.log.length;
  }

  /** Bytes held, by column, for memory reports. */
  columnBytes(): Record<string, number> {
    return {
      holders: this.holders.byteLength,
      holderStarts: this.starts.byteLength,
      historyHeads: this.heads.byteLength,
      historyLog: this.log.byteLength,
    };
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1_000).toISOString();
}
