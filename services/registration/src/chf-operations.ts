import { DccError, GrpcStatus, parseRequestId, readGbcsResponseHeader } from '@dcc/domain';
import {
  ChfFaultReturnType,
  type LocalCommandResponseReturned,
  type ReturnLocalCommandResponse,
  type RoutedChfOperationRequest,
  type RoutedChfOperationResponse,
} from '@dcc/proto';
import { DEVICE_STATUS_NAMES, DeviceStatus } from '@dcc/registry';
import type { Clock } from './clock.js';
import { statusToWire, userRoleCode } from './codes.js';
import { deviceToWire, knownDevice, type Change } from './commands.js';
import type { DeviceRecord } from './device-inventory.js';
import { checkSupplier } from './inventory-changes.js';
import type { Recorder } from './recorder.js';
import type { RegistrationState } from './state.js';

const S = DeviceStatus;
type Operation = NonNullable<RoutedChfOperationRequest['operation']>;
type StatusUpdate = Exclude<Operation, { $case: 'returnLocalCommandResponse' }>;

/** A communications hub status update: the statuses it may come from, the one it leaves, and its reason text. */
interface Transition {
  srv: string;
  from: readonly DeviceStatus[];
  to: DeviceStatus;
  /** Returns send the whole hub back, so its GPF leaves service with the CHF. */
  withGpf: boolean;
  reason: string;
}

const NOT_INSTALLED = [S.PENDING, S.WHITELISTED];
const INSTALLED = [S.INSTALLED_NOT_COMMISSIONED, S.COMMISSIONED, S.SUSPENDED];

/**
 * The SMI transitions of 8.14.x, the hub's reading (inferred: DCC-REFERENCE names the SRVs and the statuses, not
 * DUIS's table): an install with SM WAN commissions the CHF (also one installed earlier without WAN), an install
 * without SM WAN leaves it InstalledNotCommissioned until the WAN reaches it, and a return (fault or no fault)
 * withdraws the hub, a fault found prior to installation only from a hub not installed, one found after only from
 * an installed one. A report that matches the record changes nothing and is answered (changed false); any other
 * starting status is FAILED_PRECONDITION.
 */
function transitionOf(operation: StatusUpdate): Transition {
  switch (operation.$case) {
    case 'chfInstallSuccess': {
      const v = operation.value;
      return {
        srv: '8.14.1',
        from: [...NOT_INSTALLED, S.INSTALLED_NOT_COMMISSIONED],
        to: S.COMMISSIONED,
        withGpf: false,
        reason: `SRV 8.14.1 install success: ${v.installType}, MPxN ${v.mpxn}, ${v.location}, aerial ${v.aerialInstall}`,
      };
    }
    case 'chfInstallNoSmWan': {
      const v = operation.value;
      const checks = [v.metalObstructionCheck, v.connectivityObstructionCheck, v.sharedObstructionCheck];
      return {
        srv: '8.14.2',
        from: NOT_INSTALLED,
        to: S.INSTALLED_NOT_COMMISSIONED,
        withGpf: false,
        reason: `SRV 8.14.2 install no SM WAN: ${v.installType}, MPxN ${v.mpxn}, ${v.location}, aerial ${v.aerialInstall}, ${v.premiseType}, obstruction checks metal/connectivity/shared ${checks.join('/')}`,
      };
    }
    case 'chfFaultReturn': {
      const v = operation.value;
      const prior = v.faultReturnType === ChfFaultReturnType.CHF_FAULT_RETURN_TYPE_PRIOR_TO_INSTALLATION;
      return {
        srv: '8.14.3',
        from: prior ? NOT_INSTALLED : INSTALLED,
        to: S.WITHDRAWN,
        withGpf: true,
        reason: `SRV 8.14.3 fault return (${prior ? 'prior to' : 'post'} installation): ${v.faultReason}, ${v.connectionMethod}${v.otherDeviceId ? ` to ${v.otherDeviceId}` : ''}`,
      };
    }
    case 'chfNoFaultReturn':
      return {
        srv: '8.14.4',
        from: [...NOT_INSTALLED, ...INSTALLED],
        to: S.WITHDRAWN,
        withGpf: true,
        reason: `SRV 8.14.4 no fault return: ${operation.value.noFaultReturnType}`,
      };
  }
}

/** The GPF hosted on the same communications hub, if the inventory holds one. */
function gpfOf(state: RegistrationState, chf: DeviceRecord): DeviceRecord | undefined {
  const points = [chf.mpxn, ...chf.additionalMpxns].filter((m) => m !== '');
  return points
    .flatMap((mpxn) => state.devicesAt(mpxn))
    .find((d) => d.deviceType === 'GPF' && d.commsHubId === chf.deviceId);
}

const statusChange = (device: DeviceRecord, status: DeviceStatus, reason: string): Change => ({
  $case: 'deviceStatusChanged',
  value: { deviceId: device.deviceId, status: statusToWire(status), reason },
});

/** What a status update changes, after the ownership and status checks (FAILED_PRECONDITION, E4, E11, E19). */
export function chfStatusChanges(
  state: RegistrationState,
  request: Pick<RoutedChfOperationRequest, 'userId' | 'userRole'>,
  operation: StatusUpdate,
  instantMs: number,
): Change[] {
  const { deviceId } = operation.value;
  const chf = knownDevice(state, deviceId);
  if (chf.deviceType !== 'CHF') {
    throw DccError.duis(
      'E11',
      `device ${deviceId} is a ${chf.deviceType}, not a communications hub function`,
    );
  }
  checkSupplier(state, request.userId, userRoleCode(request.userRole), deviceId, instantMs);
  const transition = transitionOf(operation);
  if (chf.status === transition.to && transition.to !== S.WITHDRAWN) return [];
  if (!transition.from.includes(chf.status)) {
    throw new DccError(
      GrpcStatus.FAILED_PRECONDITION,
      `SRV ${transition.srv}: the communications hub ${deviceId} is ${DEVICE_STATUS_NAMES[chf.status]}, so it cannot become ${DEVICE_STATUS_NAMES[transition.to]} (from ${transition.from.map((s) => DEVICE_STATUS_NAMES[s]).join(', ')} only)`,
    );
  }
  const changes = [statusChange(chf, transition.to, transition.reason)];
  const gpf = transition.withGpf ? gpfOf(state, chf) : undefined;
  if (gpf && gpf.status !== S.WITHDRAWN && gpf.status !== S.DECOMMISSIONED) {
    changes.push(statusChange(gpf, transition.to, transition.reason));
  }
  return changes;
}

/**
 * SRVs 8.13 and 8.14.x routed by access control over NATS (`dcc.registration.chf.operation`), with the User who
 * sent them:
 * - 8.14.1 to 8.14.4 change the communications hub's SMI status (chfStatusChanges), only by the registered
 *   supplier (IS or GS) of a meter point the hub serves now (E4), deciding inside the recorder's queue.
 * - 8.13 Return Local Command Response: access control has matched the GBCS response to its original request
 *   (chf-ops-rules.ts); registration checks the original request was the sender's own (E4), the device is in the
 *   inventory (E19) and the sender is still its registered supplier (E4), and answers what the response says.
 */
export async function routedChfOperation(
  recorder: Recorder,
  clock: Clock,
  request: RoutedChfOperationRequest,
): Promise<RoutedChfOperationResponse> {
  const operation = request.operation;
  if (!operation) throw DccError.invalidArgument('operation is required');
  if (operation.$case === 'returnLocalCommandResponse') {
    const value = localCommandResponseReturned(recorder.state, request, operation.value, clock.now());
    return { result: { $case: 'localCommandResponseReturned', value } };
  }
  let changed = false;
  await recorder.change((state) => {
    const changes = chfStatusChanges(state, request, operation, clock.now());
    changed = changes.length > 0;
    return changes;
  });
  const chf = knownDevice(recorder.state, operation.value.deviceId);
  const gpf = changed ? gpfOf(recorder.state, chf) : undefined;
  return {
    result: {
      $case: 'chfStatusUpdated',
      value: { chf: deviceToWire(chf), ...(gpf ? { gpf: deviceToWire(gpf) } : {}), changed },
    },
  };
}

/** 8.13: E4 unless the original request was the sender's and the sender is the device's supplier now; E19. */
export function localCommandResponseReturned(
  state: RegistrationState,
  request: Pick<RoutedChfOperationRequest, 'userId' | 'userRole'>,
  returned: ReturnLocalCommandResponse,
  instantMs: number,
): LocalCommandResponseReturned {
  const { originalRequestId, deviceGbcsResponse } = returned;
  const original = parseRequestId(originalRequestId);
  if (original.originator !== request.userId) {
    throw DccError.duis(
      'E4',
      `the original request ${originalRequestId} was sent by ${original.originator}, not by ${request.userId}`,
    );
  }
  checkSupplier(state, request.userId, userRoleCode(request.userRole), original.target, instantMs);
  const header = readGbcsResponseHeader(deviceGbcsResponse);
  return {
    originalRequestId,
    deviceId: header.originator,
    messageCode: header.messageCode,
    counter: header.counter.toString(),
  };
}
