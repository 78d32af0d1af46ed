import type { DurablePublisher } from '@dcc/bus';
import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { MeterCommand, type ServiceRequest } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { admit } from './admission.js';
import { validateBody } from './body-validation.js';
import { clampLogPeriod } from './data-segregation.js';
import { meterCommandOf } from './meter-command.js';
import type { RegistrationCheck } from './registration-check.js';
import type { UserDirectory } from './user-directory.js';

/** Failures a retry can cure (registration or the bus unavailable): the held request stays and comes again. */
export const TRANSIENT: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
]);

/**
 * The failure of a held request queued behind one of the same User and device that failed and will be redelivered:
 * transient, so it is redelivered too and reaches the device after the earlier one.
 */
export const behindRedelivery = (): DccError =>
  DccError.unavailable(
    'an earlier request of this User to this device will come again first: this one follows it',
  );

/** What access control needs to send on a request the hub held (a schedule's run, a future-dated request). */
export interface HeldRequestDeps {
  users: UserDirectory;
  publisher: DurablePublisher;
  registration: RegistrationCheck;
  partitions: number;
  log: Pick<Logger, 'warn'>;
  clock?: () => number;
}

/**
 * Puts a request the hub held through the checks an on-demand request gets, as at `atMs` (its due or execution
 * time): the User still admitted in the role and the role allowed the SRV (E1, E2, E3), the body, registration
 * letting the User address the device then (E19, E11, E4, E5), data segregation clamping a log read. Then stores
 * its meter command, with `tags`, on METER_MAIL under its RequestID (a redelivery is a duplicate the stream
 * drops). Throws the refusal; resolves once the command is durable.
 */
export async function sendHeldRequest(
  deps: HeldRequestDeps,
  request: ServiceRequest,
  userId: Eui64,
  atMs: number,
  tags: Pick<MeterCommand, 'dspScheduleId' | 'schedulePurpose'> = {},
): Promise<void> {
  const { users, publisher, registration, partitions, clock = Date.now } = deps;
  const admitted = admit(request, users, userId);
  validateBody(admitted.request, admitted.srv);
  const grant = await registration.check(admitted, atMs);
  const segregated = clampLogPeriod(admitted.request, grant.dataFromMs);
  const { command, subject } = meterCommandOf(admitted, segregated.request, grant, clock(), partitions);
  await publisher.publish(subject, MeterCommand, { ...command, ...tags }, request.requestId);
}
