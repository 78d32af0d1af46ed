import type { ServiceRequest, ServiceResponse } from './gen/dcc/v1/service_request.js';

/** The case of ServiceRequest.body that carries an SRV's parameters. */
export type RequestBodyCase = NonNullable<ServiceRequest['body']>['$case'];
/** The case of ServiceResponse.body that carries an SRV's answer. */
export type ResponseBodyCase = NonNullable<ServiceResponse['body']>['$case'];

export interface SrvBodies {
  /** The request body case that belongs to the SRV. */
  request: RequestBodyCase;
  /** Whether a request must carry it (SRVs with parameters); parameterless SRVs may omit it. */
  required: boolean;
  /** The response body case of an executed command. */
  response: ResponseBodyCase;
}

/**
 * Which body cases belong to which SRV, for the device SRVs the wire protocol carries. Access control checks a
 * request's body against it; the SMETS2 adapter maps each case to the device model's parameters and answer.
 */
export const SRV_BODIES: Readonly<Record<string, SrvBodies>> = {
  '2.2': { request: 'topUpDevice', required: true, response: 'topUp' },
  '3.1': { request: 'displayMessage', required: true, response: 'messageDisplayed' },
  '3.2': { request: 'restrictAccessForChangeOfTenancy', required: true, response: 'accessRestricted' },
  '4.1.1': {
    request: 'readInstantaneousImportRegisters',
    required: false,
    response: 'importRegisters',
  },
  '4.1.2': { request: 'readInstantaneousImportTouMatrices', required: false, response: 'touMatrices' },
  '4.2': { request: 'readInstantaneousExportRegisters', required: false, response: 'exportRegisters' },
  '4.3': { request: 'readInstantaneousPrepayValues', required: false, response: 'prepayValues' },
  '4.6.1': { request: 'retrieveImportDailyReadLog', required: true, response: 'dailyReadLog' },
  '4.8.1': { request: 'readActiveImportProfileData', required: true, response: 'importProfile' },
  '4.8.3': { request: 'readExportProfileData', required: true, response: 'exportProfile' },
  '4.10': { request: 'readNetworkData', required: false, response: 'networkData' },
  '4.17': { request: 'retrieveDailyConsumptionLog', required: true, response: 'dailyConsumptionLog' },
  '4.18': { request: 'readMeterBalance', required: false, response: 'meterBalance' },
  '6.5': {
    request: 'updateDeviceConfigurationVoltage',
    required: true,
    response: 'voltageConfigurationUpdated',
  },
  '6.22': { request: 'configureAlertBehaviour', required: true, response: 'alertConfiguration' },
  '6.23': { request: 'updateSecurityCredentials', required: true, response: 'supplierCredentials' },
  '7.4': { request: 'readSupplyStatus', required: false, response: 'supplyStatus' },
  '11.2': { request: 'readFirmwareVersion', required: false, response: 'firmwareVersion' },
  // Critical SRVs (CV 4 then 5): the body travels inside the signed pre-command.
  '2.5': { request: 'activateEmergencyCredit', required: false, response: 'emergencyCreditActivated' },
  '7.1': { request: 'enableSupply', required: false, response: 'supplyEnabled' },
  '7.2': { request: 'disableSupply', required: false, response: 'supplyDisabled' },
  '7.3': { request: 'armSupply', required: false, response: 'supplyArmed' },
  '1.1.1': { request: 'updateImportTariff', required: true, response: 'importTariffUpdated' },
  '1.5': { request: 'updateMeterBalance', required: true, response: 'meterBalanceUpdated' },
  '1.6': { request: 'updatePaymentMode', required: true, response: 'paymentModeUpdated' },
  '2.1': {
    request: 'updatePrepayConfiguration',
    required: true,
    response: 'prepayConfigurationUpdated',
  },
  '2.3': { request: 'updateDebt', required: true, response: 'debtUpdated' },
  '6.4.1': {
    request: 'updateDeviceConfigurationLoadLimiting',
    required: true,
    response: 'loadLimitingConfigured',
  },
  '6.11': { request: 'synchroniseClock', required: true, response: 'clockSynchronised' },
  '8.1.1': { request: 'commissionDevice', required: true, response: 'deviceCommissioned' },
  '11.3': { request: 'activateFirmware', required: true, response: 'firmwareActivated' },
};

/**
 * The body cases of the non-device SRVs access control routes (command variant 8, target the hub): answered by
 * the service that owns them (8.2, 8.3, 8.4, 12.2 → registration), never by a device.
 */
export const NON_DEVICE_SRV_BODIES: Readonly<Record<string, SrvBodies>> = {
  '8.2': { request: 'readInventory', required: true, response: 'inventory' },
  '8.3': { request: 'decommissionDevice', required: true, response: 'deviceDecommissioned' },
  '8.4': { request: 'updateInventory', required: true, response: 'inventoryUpdated' },
  '12.2': { request: 'devicePrenotification', required: true, response: 'devicePrenotified' },
};

/** The SRV's body cases (device or routed non-device), or undefined when the wire protocol has no body for it. */
export function srvBodiesOf(srv: string): SrvBodies | undefined {
  if (Object.hasOwn(SRV_BODIES, srv)) return SRV_BODIES[srv];
  return Object.hasOwn(NON_DEVICE_SRV_BODIES, srv) ? NON_DEVICE_SRV_BODIES[srv] : undefined;
}
