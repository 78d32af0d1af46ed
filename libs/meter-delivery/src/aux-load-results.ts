import type { SrvBodyMap } from '@dcc/meter';
import type { ServiceResponse } from '@dcc/proto';

type Body = NonNullable<ServiceResponse['body']>;
type AuxSrv =
  | '6.14.1'
  | '6.14.2'
  | '6.14.3'
  | '7.5'
  | '7.6'
  | '7.7'
  | '7.8'
  | '7.9'
  | '7.10'
  | '7.11'
  | '7.12'
  | '7.13'
  | '7.14'
  | '7.15'
  | '7.16';

/**
 * Auxiliary load control answers: the device model keeps them in the shapes of libs/proto
 * auxiliary_load_control.proto (days of the week numbered as DayOfWeek), so each passes through under its case.
 */
export const AUX_LOAD_BODIES: { [S in AuxSrv]: (body: SrvBodyMap[S]) => Body } = {
  '6.14.1': (b) => ({ $case: 'alcDescriptionsUpdated', value: b }),
  '6.14.2': (b) => ({ $case: 'alcSchedulerUpdated', value: b }),
  '6.14.3': (b) => ({ $case: 'auxiliaryControllerSchedulerUpdated', value: b }),
  '7.5': (b) => ({ $case: 'auxiliaryLoadActivated', value: b }),
  '7.6': (b) => ({ $case: 'auxiliaryLoadDeactivated', value: b }),
  '7.7': (b) => ({ $case: 'alcsData', value: b }),
  '7.8': (b) => ({ $case: 'auxiliaryLoadReset', value: b }),
  '7.9': (b) => ({ $case: 'boostButtonLoadAdded', value: b }),
  '7.10': (b) => ({ $case: 'boostButtonLoadRemoved', value: b }),
  '7.11': (b) => ({ $case: 'boostButtonDetails', value: b }),
  '7.12': (b) => ({ $case: 'randomisedOffsetLimitSet', value: b }),
  '7.13': (b) => ({ $case: 'auxiliaryControllerStateSet', value: b }),
  '7.14': (b) => ({ $case: 'auxiliaryControllerConfiguration', value: b }),
  '7.15': (b) => ({ $case: 'auxiliaryControllerOperationalData', value: b }),
  '7.16': (b) => ({ $case: 'apcLevelLimited', value: b }),
};
