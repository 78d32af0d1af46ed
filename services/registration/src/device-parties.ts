import type { DevicePartiesRequest, DevicePartiesResponse } from '@dcc/proto';
import { AppointmentRole } from '@dcc/registry';
import type { Clock } from './clock.js';
import type { RegistrationState } from './state.js';

/**
 * Who holds a device's meter point at an instant, for routing the device's alerts (the alert router in access
 * control asks over NATS): the registered supplier of the point (the import supplier of an electricity point,
 * the gas supplier of a gas point: the SUPPLIER appointment) and its network operator. Read at the alert's
 * instant, so a change of supplier or of network operator re-routes alerts from its effective time. The point's
 * feeder and substation (grid-feeds asks too) are the current ones: the record keeps no history of them.
 */
export function deviceParties(
  state: RegistrationState,
  request: DevicePartiesRequest,
  clock: Clock,
): DevicePartiesResponse {
  const { view } = state;
  const instant = request.instantMs || clock.now();
  const facts = view.deviceFacts(request.deviceId);
  const point = facts?.points[0];
  if (point === undefined) {
    return { known: false, mpxn: '', supplierId: '', networkOperatorId: '', feeder: '', substation: '' };
  }
  const partyAt = (role: AppointmentRole) => view.parties.idOf(view.holderAt(point, role, instant)) ?? '';
  return {
    known: true,
    mpxn: view.describe(point).mpxn,
    supplierId: partyAt(AppointmentRole.SUPPLIER),
    networkOperatorId: partyAt(AppointmentRole.NETWORK_OPERATOR),
    feeder: state.grid.of(point)?.feeder ?? '',
    substation: state.grid.of(point)?.substation ?? '',
  };
}
