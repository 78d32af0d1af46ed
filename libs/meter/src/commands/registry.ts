import { configureAlertBehaviour } from './alert-behaviour.js';
import {
  activateFirmware,
  commissionDevice,
  displayMessage,
  readFirmwareVersion,
  synchroniseClock,
  updateSupplierCredentials,
} from './device-commands.js';
import { readAlertBehaviours, readDeviceIdentity, readPaymentMode } from './configuration-reads.js';
import { readRandomisationConfiguration } from './randomisation-read.js';
import {
  limitApcLevel,
  readAuxiliaryControllerConfigurationData,
  readAuxiliaryControllerOperationalData,
  setAuxiliaryControllerState,
  updateAuxiliaryControllerScheduler,
} from './aux-controller-commands.js';
import {
  activateAuxiliaryLoad,
  addAuxiliaryLoadToBoostButton,
  deactivateAuxiliaryLoad,
  readAlcsData,
  readBoostButtonDetails,
  removeAuxiliaryLoadFromBoostButton,
  resetAuxiliaryLoad,
  setRandomisedOffsetLimit,
  updateAlcDescriptions,
  updateAlcScheduler,
} from './aux-load-commands.js';
import {
  readGasConfiguration,
  recordGasNetworkData,
  updateGasConversion,
  updateGasFlow,
} from './gas-commands.js';
import {
  readBillingCalendar,
  readBillingCalendarLog,
  readExportDailyReadLog,
  readModeOrTariffLog,
  updateBillingCalendar,
} from './billing-calendar-commands.js';
import {
  readActivePowerImport,
  readMaxDemandExport,
  readMaxDemandImport,
  readPowerThresholds,
  resetMaxDemandRegisters,
  resetRmsVoltageCounters,
  setMaxDemandWindow,
  updatePowerThresholds,
} from './demand-commands.js';
import { clearEventLog, readEventOrSecurityLog } from './event-log-commands.js';
import { requestCustomerIdentificationNumber } from './customer-identification.js';
import { readReactiveImportProfile } from '../reactive-profile.js';
import { setSupplyTamperState } from '../supply-tamper.js';
import {
  issueSecurityCredentials,
  retrieveDeviceSecurityCredentialsDevice,
  retrieveDeviceSecurityCredentialsKrp,
  updateSecurityCredentialsDevice,
} from './security-credential-commands.js';
import type { SrvHandler } from './handler.js';
import { updateSecurityCredentialsKrp } from './trust-anchor-commands.js';
import { serviceOptOut } from './service-opt-out.js';
import { requestHandover } from './device-handover.js';
import {
  readSubGhzChannel,
  readSubGhzChannelLog,
  readSubGhzConfiguration,
  requestSubGhzChannelScan,
  setSubGhzConfiguration,
} from './sub-ghz-commands.js';
import {
  joinServiceCritical,
  joinServiceNonCritical,
  readDeviceLog,
  unjoinServiceCritical,
  unjoinServiceNonCritical,
  updateHanDeviceLog,
} from './han-commands.js';
import { restoreGpfDeviceLog, restoreHanDeviceLog } from './restore-log-commands.js';
import {
  disablePrivacyPin,
  readMpxns,
  setExportMpan,
  setImportMpxn,
  updateSupplierName,
} from './identity-settings.js';
import {
  readDailyConsumptionLog,
  readDailyReadLog,
  readExportProfile,
  readImportProfile,
  restrictAccessForChangeOfTenancy,
} from './log-commands.js';
import { readNetworkData } from './network-commands.js';
import { readVoltageConfiguration, updateVoltageConfiguration } from './voltage-commands.js';
import {
  activateEmergencyCredit,
  readMeterBalance,
  readPrepayValues,
  topUp,
  updateDebt,
  updateMeterBalance,
  updatePrepayConfig,
} from './prepay-commands.js';
import { updatePaymentMode } from './payment-mode-command.js';
import {
  readDebtPaymentsLog,
  readPrepaymentConfiguration,
  readPrepaymentCreditsLog,
  readPrepaymentDailyReadLog,
} from './prepay-read-commands.js';
import {
  readExportRegisters,
  readInstantaneousImportRegisters,
  readTouMatrices,
  updateImportTariff,
} from './register-commands.js';
import {
  armSupplyCommand,
  configureLoadLimiting,
  disableSupplyCommand,
  enableSupplyCommand,
  readLoadLimitData,
  readSupplyStatus,
  resetLoadLimitCounterCommand,
} from './supply-commands.js';
import {
  configureDailyBlockCounterReset,
  readBlockCounters,
  readTariffPrimaryElement,
  readTariffSecondaryElement,
  readTouWithBlocksMatrices,
  resetTariffBlockCounterMatrix,
  updateImportTariffSecondaryElement,
  updatePricePrimaryElement,
  updatePriceSecondaryElement,
} from './tariff-commands.js';
import type { SrvBodyMap, SrvParamMap, SupportedSrv } from './types.js';

type HandlerMap = { [S in SupportedSrv]: SrvHandler<SrvParamMap[S], SrvBodyMap[S]> };

/** Every SRV the device model implements. Whether an SRV is critical or device future-datable comes from the catalogue. */
export const HANDLERS: HandlerMap = {
  '1.1.1': updateImportTariff,
  '1.5': updateMeterBalance,
  '1.6': updatePaymentMode,
  '2.1': updatePrepayConfig,
  '2.2': topUp,
  '2.3': updateDebt,
  '2.5': activateEmergencyCredit,
  '3.1': displayMessage,
  '3.2': restrictAccessForChangeOfTenancy,
  '3.4': updateSupplierName,
  '3.5': disablePrivacyPin,
  '4.1.1': readInstantaneousImportRegisters,
  '4.1.2': readTouMatrices,
  '4.2': readExportRegisters,
  '4.3': readPrepayValues,
  '4.6.1': readDailyReadLog,
  '4.8.1': readImportProfile,
  '4.8.3': readExportProfile,
  '4.8.2': readReactiveImportProfile,
  '6.25': setSupplyTamperState,
  '6.17': issueSecurityCredentials,
  '6.24.1': retrieveDeviceSecurityCredentialsKrp,
  '6.24.2': retrieveDeviceSecurityCredentialsDevice,
  '6.15.2': updateSecurityCredentialsDevice,
  '6.15.1': updateSecurityCredentialsKrp,
  '4.10': readNetworkData,
  '4.4.4': readDebtPaymentsLog,
  '4.4.5': readPrepaymentCreditsLog,
  '4.13': readPrepaymentConfiguration,
  '4.14': readPrepaymentDailyReadLog,
  '4.15': readLoadLimitData,
  '4.17': readDailyConsumptionLog,
  '4.18': readMeterBalance,
  '6.2.1': readVoltageConfiguration,
  '6.2.2': readRandomisationConfiguration,
  '6.2.4': readDeviceIdentity,
  '6.2.9': readPaymentMode,
  '6.2.7': readMpxns,
  '6.2.10': readAlertBehaviours,
  '6.4.1': configureLoadLimiting,
  '6.4.2': resetLoadLimitCounterCommand,
  '6.5': updateVoltageConfiguration,
  '6.11': synchroniseClock,
  '6.20.1': setImportMpxn,
  '6.20.2': setExportMpan,
  '6.22': configureAlertBehaviour,
  '6.23': updateSupplierCredentials,
  '8.5': serviceOptOut,
  '6.21': requestHandover,
  '7.1': enableSupplyCommand,
  '7.2': disableSupplyCommand,
  '7.3': armSupplyCommand,
  '7.4': readSupplyStatus,
  '6.14.1': updateAlcDescriptions,
  '6.14.2': updateAlcScheduler,
  '6.14.3': updateAuxiliaryControllerScheduler,
  '7.5': activateAuxiliaryLoad,
  '7.6': deactivateAuxiliaryLoad,
  '7.7': readAlcsData,
  '7.8': resetAuxiliaryLoad,
  '7.9': addAuxiliaryLoadToBoostButton,
  '7.10': removeAuxiliaryLoadFromBoostButton,
  '7.11': readBoostButtonDetails,
  '7.12': setRandomisedOffsetLimit,
  '7.13': setAuxiliaryControllerState,
  '7.14': readAuxiliaryControllerConfigurationData,
  '7.15': readAuxiliaryControllerOperationalData,
  '7.16': limitApcLevel,
  '8.1.1': commissionDevice,
  '11.2': readFirmwareVersion,
  '11.3': activateFirmware,
  '1.1.2': updateImportTariffSecondaryElement,
  '1.2.1': updatePricePrimaryElement,
  '1.2.2': updatePriceSecondaryElement,
  '1.7': resetTariffBlockCounterMatrix,
  '4.11.1': readTariffPrimaryElement,
  '4.11.2': readTariffSecondaryElement,
  '4.1.3': readTouWithBlocksMatrices,
  '4.1.4': readBlockCounters,
  '6.26': configureDailyBlockCounterReset,
  '6.2.8': readGasConfiguration,
  '6.6': updateGasConversion,
  '6.7': updateGasFlow,
  '14.1': recordGasNetworkData,
  '6.13': readEventOrSecurityLog,
  '3.3': clearEventLog,
  '4.16': readActivePowerImport,
  '4.12.1': readMaxDemandImport,
  '4.12.2': readMaxDemandExport,
  '6.18.1': setMaxDemandWindow,
  '6.18.2': resetMaxDemandRegisters,
  '6.12': updatePowerThresholds,
  '6.2.5': readPowerThresholds,
  '6.27': resetRmsVoltageCounters,
  '6.8': updateBillingCalendar,
  '6.2.3': readBillingCalendar,
  '4.4.3': readBillingCalendarLog,
  '4.6.2': readExportDailyReadLog,
  '4.4.2': readModeOrTariffLog,
  '8.7.1': joinServiceCritical,
  '8.7.2': joinServiceNonCritical,
  '8.8.1': unjoinServiceCritical,
  '8.8.2': unjoinServiceNonCritical,
  '8.9': readDeviceLog,
  '8.11': updateHanDeviceLog,
  '8.12.1': restoreHanDeviceLog,
  '8.12.2': restoreGpfDeviceLog,
  '6.28': setSubGhzConfiguration,
  '6.29': requestSubGhzChannelScan,
  '6.30': readSubGhzConfiguration,
  '6.31': readSubGhzChannel,
  '6.32': readSubGhzChannelLog,
  '9.1': requestCustomerIdentificationNumber,
};

/** The SRVs this device model supports, in catalogue order. */
export const SUPPORTED_SRVS = Object.keys(HANDLERS) as SupportedSrv[];

export function handlerFor(srv: string): SrvHandler<unknown, unknown> | undefined {
  return Object.hasOwn(HANDLERS, srv)
    ? (HANDLERS[srv as SupportedSrv] as SrvHandler<unknown, unknown>)
    : undefined;
}
