import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { RegistrationFuel } from '@dcc/proto';
import { AppointmentRole, Fuel } from '@dcc/registry';
import type { Change } from './commands.js';
import type { RegistrationState } from './state.js';
import { addWorkingDays, type Holidays } from './working-days.js';

/** Change of supplier as changes: a switch requested, objected to, resolved, and made on its day. */

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CosSettings {
  objectionWorkingDays: number;
  resolveWorkingDays: number;
  gasEffectiveDays: number;
  holidays: Holidays;
}

/** A whole second at or after `ms` (appointments start on whole seconds). */
const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/**
 * Change of supplier requested by the gaining supplier. Electricity: pending, with the losing supplier's
 * objection window of `objectionWorkingDays`; effective on the requested date (never before the window
 * closes). Gas: confirmed now, irrevocable, effective `gasEffectiveDays` later.
 */
export function requestSwitchChanges(
  state: RegistrationState,
  input: { mpxn: string; gainingSupplierId: string; effectiveMs: number },
  nowMs: number,
  settings: CosSettings,
  switchId: string,
): Change[] {
  const point = state.point(input.mpxn);
  const gaining = parseEui64(input.gainingSupplierId, 'gaining_supplier_id');
  const fuel = state.view.describe(point).fuel;
  const losing = state.partyId(state.view.holder(point, AppointmentRole.SUPPLIER));
  if (losing === gaining) throw DccError.failedPrecondition(`${gaining} already supplies ${input.mpxn}`);
  const open = state.openSwitch(input.mpxn);
  if (open) throw DccError.failedPrecondition(`switch ${open.id} is already in progress at ${input.mpxn}`);
  const electricity = fuel === Fuel.ELECTRICITY;
  const objectionDeadlineMs = electricity
    ? addWorkingDays(nowMs, settings.objectionWorkingDays, settings.holidays)
    : 0;
  const effectiveMs = electricity
    ? ceilSecond(Math.max(input.effectiveMs, objectionDeadlineMs))
    : ceilSecond(nowMs + settings.gasEffectiveDays * DAY_MS);
  if (effectiveMs < state.view.holderSinceMs(point, AppointmentRole.SUPPLIER)) {
    throw DccError.failedPrecondition('the switch date precedes the current supplier appointment');
  }
  return [
    {
      $case: 'switchRequested',
      value: {
        switchId,
        mpxn: input.mpxn,
        fuel: electricity
          ? RegistrationFuel.REGISTRATION_FUEL_ELECTRICITY
          : RegistrationFuel.REGISTRATION_FUEL_GAS,
        gainingSupplierId: gaining,
        losingSupplierId: losing,
        effectiveMs,
        objectionDeadlineMs,
        irrevocable: !electricity,
      },
    },
  ];
}

export function objectionChanges(
  state: RegistrationState,
  input: { switchId: string; partyId: string; reason: string },
  nowMs: number,
  settings: CosSettings,
): Change[] {
  const s = state.switchOf(input.switchId);
  if (s.irrevocable)
    throw DccError.failedPrecondition(`switch ${s.id} is a confirmed gas switch: irrevocable, no objection`);
  if (s.state !== 'pending') throw DccError.failedPrecondition(`switch ${s.id} is ${s.state}`);
  if (s.objected) throw DccError.failedPrecondition(`switch ${s.id} was objected to already`);
  if (parseEui64(input.partyId, 'party_id') !== s.losingSupplierId) {
    throw new DccError(GrpcStatus.PERMISSION_DENIED, `only the losing supplier may object to switch ${s.id}`);
  }
  if (nowMs >= s.objectionDeadlineMs) {
    throw DccError.failedPrecondition(
      `the objection window of switch ${s.id} closed at ${new Date(s.objectionDeadlineMs).toISOString()}`,
    );
  }
  return [
    {
      $case: 'switchObjected',
      value: {
        switchId: s.id,
        reason: input.reason,
        resolveDeadlineMs: addWorkingDays(nowMs, settings.resolveWorkingDays, settings.holidays),
      },
    },
  ];
}

export function resolveChanges(
  state: RegistrationState,
  input: { switchId: string; partyId: string },
  nowMs: number,
): Change[] {
  const s = state.switchOf(input.switchId);
  if (s.state !== 'objected') throw DccError.failedPrecondition(`switch ${s.id} is ${s.state}, not objected`);
  if (parseEui64(input.partyId, 'party_id') !== s.losingSupplierId) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `only the objecting supplier may resolve switch ${s.id}`,
    );
  }
  if (nowMs >= s.resolveDeadlineMs)
    throw DccError.failedPrecondition(`switch ${s.id} is past its resolve deadline`);
  return [{ $case: 'switchObjectionResolved', value: { switchId: s.id } }];
}

/**
 * What is due at `nowMs`: objections not resolved in time are unpicked; pending switches whose date has come
 * (and whose objection window has closed) complete, with the definitive reading they need.
 */
export function dueSwitchChanges(state: RegistrationState, nowMs: number): Change[] {
  const changes: Change[] = [];
  for (const s of state.switches.values()) {
    if (s.state === 'objected' && nowMs >= s.resolveDeadlineMs) {
      changes.push({
        $case: 'switchUnpicked',
        value: { switchId: s.id, reason: 'objection not resolved in time' },
      });
    } else if (s.state === 'pending' && nowMs >= s.effectiveMs && nowMs >= s.objectionDeadlineMs) {
      const point = state.point(s.mpxn);
      if (s.effectiveMs < state.view.holderSinceMs(point, AppointmentRole.SUPPLIER)) {
        changes.push({
          $case: 'switchUnpicked',
          value: { switchId: s.id, reason: 'a later supplier appointment was registered meanwhile' },
        });
        continue;
      }
      changes.push({ $case: 'switchCompleted', value: { switchId: s.id, effectiveMs: s.effectiveMs } });
      changes.push({
        $case: 'definitiveReadingRequired',
        value: {
          mpxn: s.mpxn,
          switchId: s.id,
          deviceId: state.view.describe(point).deviceId ?? '',
          atMs: s.effectiveMs,
        },
      });
    }
  }
  return changes;
}

/**
 * Change of tenancy: a new tenancy from `startedAtMs`, and every standing Other User consent granted before it
 * revoked from that instant (one event each); the same start again changes nothing.
 */
export function tenancyChanges(state: RegistrationState, mpxn: string, startedAtMs: number): Change[] {
  const point = state.point(mpxn);
  if (!Number.isSafeInteger(startedAtMs) || startedAtMs <= 0 || startedAtMs % 1000 !== 0) {
    throw DccError.invalidArgument('started_at_ms must be a whole second after 1970');
  }
  if (state.tenancyStarts(point).includes(startedAtMs)) return [];
  const changes: Change[] = [{ $case: 'tenancyStarted', value: { mpxn, startedAtMs } }];
  const revoked = new Set<string>();
  for (const c of state.consentsAt(point)) {
    if (c.revokedAtMs !== 0 || c.fromMs >= startedAtMs || revoked.has(c.partyId)) continue;
    if (c.untilMs !== 0 && c.untilMs <= startedAtMs) continue; // over before the new tenancy
    revoked.add(c.partyId);
    changes.push({
      $case: 'consentRevoked',
      value: { mpxn, partyId: c.partyId, revokedAtMs: startedAtMs, reason: 'change of tenancy' },
    });
  }
  return changes;
}
