import { DccError, GrpcStatus } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AppointmentRole, NO_PARTY } from './codes.js';
import { PointAppointments } from './appointments.js';

const { SUPPLIER, EXPORT_SUPPLIER, MDR } = AppointmentRole;
const DAY = 86_400_000;
const T1 = Date.UTC(2024, 3, 1);
const T2 = Date.UTC(2025, 0, 15, 12, 30, 5);
const T3 = Date.UTC(2025, 6, 1);
const [A, B, C] = [1, 2, 3];

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DccError).status;
  }
  return undefined;
}

describe('PointAppointments', () => {
  it('gives the new holder at the instant of a change and the old one a millisecond before', () => {
    const book = new PointAppointments(2, 4);
    book.appoint(0, SUPPLIER, A, T1);
    book.appoint(0, SUPPLIER, B, T2);
    expect(book.holderAt(0, SUPPLIER, T2)).toBe(B);
    expect(book.holderAt(0, SUPPLIER, T2 - 1)).toBe(A);
    expect(book.holderAt(0, SUPPLIER, T2 + 1)).toBe(B);
    expect(book.holderAt(0, SUPPLIER, T1)).toBe(A);
    expect(book.holderAt(0, SUPPLIER, T1 - 1)).toBe(NO_PARTY);
    expect(book.holder(0, SUPPLIER)).toBe(B);
    expect(book.holderSinceMs(0, SUPPLIER)).toBe(T2);
  });

  it('answers across several changes, a vacancy and interleaved roles', () => {
    const book = new PointAppointments(2, 1); // a tiny log, so it has to grow
    book.appoint(1, SUPPLIER, A, T1);
    book.appoint(1, MDR, C, T1 + DAY);
    book.appoint(1, SUPPLIER, B, T1 + 10 * DAY);
    book.appoint(1, MDR, NO_PARTY, T2); // MDR de-appointed
    book.appoint(1, SUPPLIER, C, T2);
    book.appoint(1, SUPPLIER, A, T3);
    book.appoint(1, MDR, B, T3 + DAY);
    for (let i = 0; i < 40; i++) book.appoint(0, EXPORT_SUPPLIER, 1 + (i % 3), T1 + i * DAY);

    const at = (role: AppointmentRole, t: number) => book.holderAt(1, role, t);
    expect(
      [T1 - 1, T1, T1 + 10 * DAY - 1, T1 + 10 * DAY, T2 - 1, T2, T3 - 1, T3].map((t) => at(SUPPLIER, t)),
    ).toEqual([NO_PARTY, A, A, B, B, C, C, A]);
    expect([T1, T1 + DAY, T2 - 1, T2, T3, T3 + DAY].map((t) => at(MDR, t))).toEqual([
      NO_PARTY,
      C,
      C,
      NO_PARTY,
      NO_PARTY,
      B,
    ]);
    expect(at(EXPORT_SUPPLIER, T3)).toBe(NO_PARTY);
    expect(book.holderAt(0, EXPORT_SUPPLIER, T1 + 38 * DAY + 1)).toBe(1 + (38 % 3));
    expect(book.holderAt(0, EXPORT_SUPPLIER, T1 + 39 * DAY)).toBe(1 + (39 % 3));

    expect(book.history(1, SUPPLIER)).toEqual([
      { role: SUPPLIER, party: A, fromMs: T3, toMs: undefined },
      { role: SUPPLIER, party: C, fromMs: T2, toMs: T3 },
      { role: SUPPLIER, party: B, fromMs: T1 + 10 * DAY, toMs: T2 },
      { role: SUPPLIER, party: A, fromMs: T1, toMs: T1 + 10 * DAY },
    ]);
    expect(book.history(1, MDR).map((h) => h.party)).toEqual([B, NO_PARTY, C]);
    expect(book.history(1, EXPORT_SUPPLIER)).toEqual([]);
  });

  it('ignores a re-sent appointment and lets a same-instant correction replace the holder', () => {
    const book = new PointAppointments(1, 4);
    book.appoint(0, SUPPLIER, A, T1);
    book.appoint(0, SUPPLIER, A, T1);
    book.appoint(0, SUPPLIER, A, T2); // same holder later: still held since T1
    expect(book.holderSinceMs(0, SUPPLIER)).toBe(T1);
    book.appoint(0, SUPPLIER, B, T2);
    book.appoint(0, SUPPLIER, C, T2); // B never held it for an instant
    expect(book.history(0, SUPPLIER).map((h) => h.party)).toEqual([C, A]);
    expect(book.holderAt(0, SUPPLIER, T2 - 1)).toBe(A);
    expect(book.historyLength).toBe(1);
  });

  it('refuses a backdated appointment and a start that is not a whole second', () => {
    const book = new PointAppointments(1, 4);
    book.appoint(0, SUPPLIER, A, T2);
    expect(statusOf(() => book.appoint(0, SUPPLIER, B, T2 - 1_000))).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(statusOf(() => book.appoint(0, SUPPLIER, B, T3 + 1))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(statusOf(() => book.appoint(0, SUPPLIER, B, -1_000))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(statusOf(() => book.appoint(0, SUPPLIER, B, 2 ** 32 * 1_000))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(book.holder(0, SUPPLIER)).toBe(A);
  });
});
