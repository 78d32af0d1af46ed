import { DccError, isRoleEligible, parseEui64, requireSrv } from '@dcc/domain';
import type { RoutedRequest } from './admission.js';
import type { RegistrationCheck } from './registration-check.js';
import { roleCodeOf } from './user-role-mapping.js';

/**
 * 5.1 Create Schedule, after its body passed the SRV table's rules: the User's role must be eligible for the
 * scheduled SRV itself (E2), and the inventory must let this User address the schedule's device with it now
 * (E19 unknown device, E11 wrong type, E4 not appointed, E5 status): the same checks a request for that SRV gets,
 * asked of registration, so no schedule is stored that could never run. Each run is checked again when it falls
 * due (scheduled-runs.ts). Other routed SRVs pass unchanged.
 */
export async function checkScheduledTarget(
  routed: RoutedRequest,
  registration: RegistrationCheck,
  nowMs: number,
): Promise<void> {
  const body = routed.request.body;
  if (body?.$case !== 'createSchedule') return;
  const srv = requireSrv(body.value.scheduledServiceReferenceVariant);
  const role = roleCodeOf(routed.request.userRole);
  if (!isRoleEligible(srv, role))
    throw DccError.duis('E2', `role ${role} may not send SRV ${srv.srv}, so may not schedule it`);
  const target = parseEui64(body.value.deviceId, 'deviceId');
  await registration.check(
    {
      request: { ...routed.request, serviceReferenceVariant: srv.srv, commandVariant: 1, body: undefined },
      id: { ...routed.id, target },
      srv,
    },
    nowMs,
  );
}
