import type { ServiceRequest } from '@dcc/proto';
import { UserRole } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { clampDetail, clampLogPeriod, segregationStartMs } from './data-segregation.js';

const HOUR = 3_600_000;
const T = Date.parse('2025-06-04T10:00:00Z');

const profileRead = (startMs: number, endMs: number): ServiceRequest => ({
  requestId: '90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-01:1',
  commandVariant: 1,
  serviceReferenceVariant: '4.8.1',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: { $case: 'readActiveImportProfileData', value: { period: { startMs, endMs } } },
});
const periodOf = (request: ServiceRequest) =>
  request.body?.$case === 'readActiveImportProfileData' ? request.body.value.period : undefined;

describe('data segregation: the limit', () => {
  it('is the later of holding and tenancy start for suppliers and OU, none for other roles', () => {
    expect(segregationStartMs('IS', { holdingStartMs: T, tenancyStartMs: T + HOUR })).toBe(T + HOUR);
    expect(segregationStartMs('GS', { holdingStartMs: T, tenancyStartMs: 0 })).toBe(T);
    expect(segregationStartMs('ES', { holdingStartMs: 0, tenancyStartMs: 0 })).toBe(0);
    expect(segregationStartMs('OU', { holdingStartMs: T, tenancyStartMs: 0 })).toBe(T);
    expect(segregationStartMs('ED', { holdingStartMs: T, tenancyStartMs: T })).toBe(0);
    expect(segregationStartMs('MDR', { holdingStartMs: T, tenancyStartMs: T })).toBe(0);
  });
});

describe('data segregation: the clamp', () => {
  it('moves a start before the limit to the limit and keeps the end', () => {
    const original = profileRead(T - 24 * HOUR, T + 24 * HOUR);
    const clamped = clampLogPeriod(original, T);
    expect(periodOf(clamped.request)).toEqual({ startMs: T, endMs: T + 24 * HOUR });
    expect(clamped.clampedFromMs).toBe(T);
    expect(periodOf(original)).toEqual({ startMs: T - 24 * HOUR, endMs: T + 24 * HOUR }); // not mutated
    expect(clampDetail(T)).toBe('log period from 2025-06-04T10:00:00.000Z (data segregation)');
  });

  it('leaves a period inside the limit, no limit, and bodies without a period alone', () => {
    const inside = profileRead(T, T + HOUR);
    expect(clampLogPeriod(inside, T)).toEqual({ request: inside });
    const early = profileRead(T - HOUR, T);
    expect(clampLogPeriod(early, 0)).toEqual({ request: early });
    const registers: ServiceRequest = {
      ...inside,
      serviceReferenceVariant: '4.1.1',
      body: { $case: 'readInstantaneousImportRegisters', value: {} },
    };
    expect(clampLogPeriod(registers, T)).toEqual({ request: registers });
  });

  it('turns a period wholly before the limit into a valid empty one (no half hour starts, no midnight)', () => {
    const end = T - 48 * HOUR + 17_000; // not on the half-hour grid
    const clamped = clampLogPeriod(profileRead(T - 72 * HOUR, end), T);
    const period = periodOf(clamped.request)!;
    const boundary = T - 48 * HOUR;
    expect(period).toEqual({ startMs: boundary - 1, endMs: boundary });
    expect(period.endMs).toBeGreaterThan(period.startMs);
    expect(period.endMs).toBeLessThanOrEqual(T);
    expect(Math.ceil(period.startMs / (HOUR / 2))).toBe(Math.ceil(period.endMs / (HOUR / 2)));
    expect(clamped.clampedFromMs).toBe(T);
    // an end exactly at the limit is wholly before it too
    expect(periodOf(clampLogPeriod(profileRead(T - HOUR, T), T).request)).toEqual({
      startMs: T - 1,
      endMs: T,
    });
  });
});
