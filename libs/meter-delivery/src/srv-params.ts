import { DccError } from '@dcc/domain';
import { SUPPORTED_SRVS, type ReadLogPeriod as ModelPeriod } from '@dcc/meter';
import { srvBodiesOf, type ReadLogPeriod, type ServiceRequest } from '@dcc/proto';
import { alertBehaviourParams } from './alert-params.js';
import { jsonOf, withExecutionTime, type DeviceCall } from './device-call.js';
import { gasConversionParams, gasFlowParams } from './gas-params.js';
import { handoverParams } from './handover-wire.js';
import { hanDeviceLogUpdate, savedEntry } from './han-params.js';
import { clearEventLogParams, readDeviceLogParams, resetMaxDemandParams } from './log-and-demand-params.js';
import { loadLimitParams } from './load-limit-params.js';
import {
  debtParams,
  meterBalanceParams,
  paymentModeParams,
  pence,
  prepayConfigParams,
} from './prepay-params.js';
import {
  credentialSwapParams,
  credentialTypeParams,
  optOutParams,
  remotePartyReplacementParams,
  remotePartyRolesParams,
} from './security-credentials-wire.js';
import { supplyTamperParams } from './supply-tamper-wire.js';
import { tariffCallOf } from './tariff-params.js';
import { voltageConfigParams } from './voltage-params.js';

export type { DeviceCall } from './device-call.js';

type Body = NonNullable<ServiceRequest['body']>;

/**
 * Maps a request's body to the device model's parameters. A body whose case does not belong to the SRV, or a
 * missing body for an SRV that needs parameters, is INVALID_ARGUMENT (access control refuses both already; the
 * adapter checks again because its mail may come from elsewhere). An SRV the device model does not know is
 * passed through without parameters, so the model answers it (UNIMPLEMENTED, "not supported by this device
 * model"). Every SRV the model knows has its wire bodies (srv-params.spec checks it), so one without is a fault
 * of the hub's own tables: INTERNAL. The values themselves are checked by the model, which names the field.
 */
export function deviceCallOf(request: ServiceRequest): DeviceCall {
  const srv = request.serviceReferenceVariant;
  const bodies = srvBodiesOf(srv);
  if (!bodies) {
    if ((SUPPORTED_SRVS as readonly string[]).includes(srv)) {
      throw DccError.internal(`SRV ${srv} is known to the device model but has no wire bodies`);
    }
    return {};
  }
  const body = request.body;
  if (!body) {
    if (bodies.required)
      throw DccError.invalidArgument(`SRV ${srv} needs its parameters (${bodies.request})`);
    return {};
  }
  if (body.$case !== bodies.request) {
    throw DccError.invalidArgument(`SRV ${srv} takes ${bodies.request}, not ${body.$case}`);
  }
  return tariffCallOf(body) ?? paramsOf(srv, body);
}

function paramsOf(srv: string, body: Body): DeviceCall {
  switch (body.$case) {
    case 'topUpDevice':
      return { params: { utrn: body.value.utrn } };
    case 'displayMessage':
      return { params: { message: body.value.message } };
    case 'restrictAccessForChangeOfTenancy':
      return { params: { restrictionDateTimeMs: body.value.restrictionDateTimeMs } };
    case 'retrieveImportDailyReadLog':
    case 'readActiveImportProfileData':
    case 'readExportProfileData':
    case 'readReactiveImportProfileData':
    case 'retrieveDailyConsumptionLog':
      return { params: period(srv, body.value.period) };
    case 'updateDeviceConfigurationVoltage':
      return { params: voltageConfigParams(body.value) };
    case 'configureAlertBehaviour': {
      return { params: alertBehaviourParams(srv, body.value) };
    }
    case 'requestHandoverOfDccControlledDevice': {
      return { params: handoverParams(body.value) };
    }
    case 'serviceOptOut':
      return { params: optOutParams(body.value) };
    case 'updateSecurityCredentials':
      return withExecutionTime(credentialSwapParams(body.value), body.value.executionDateTimeMs);
    case 'updateImportTariff': {
      const v = body.value;
      return withExecutionTime(
        {
          switchingTable: [...v.switchingTable],
          pricesPencePerKWh: v.pricesPencePerKwh.map((price, i) =>
            pence(srv, `prices_pence_per_kwh[${i}]`, price),
          ),
          standingChargePencePerDay: pence(srv, 'standing_charge_pence_per_day', v.standingChargePencePerDay),
        },
        v.executionDateTimeMs,
      );
    }
    case 'updateMeterBalance':
      return { params: meterBalanceParams(srv, body.value) };
    case 'updatePaymentMode':
      return withExecutionTime(paymentModeParams(srv, body.value), body.value.executionDateTimeMs);
    case 'updatePrepayConfiguration':
      return withExecutionTime(prepayConfigParams(srv, body.value), body.value.executionDateTimeMs);
    case 'updateDebt':
      return { params: debtParams(srv, body.value) };
    case 'updateDeviceConfigurationLoadLimiting':
      return withExecutionTime(loadLimitParams(body.value), body.value.executionDateTimeMs);
    case 'setElectricitySupplyTamperState':
      return { params: supplyTamperParams(body.value) };
    case 'issueSecurityCredentials':
    case 'retrieveDeviceSecurityCredentialsDevice':
      return { params: credentialTypeParams(srv, body.value) };
    case 'retrieveDeviceSecurityCredentialsKrp':
      return { params: remotePartyRolesParams(body.value) };
    case 'updateSecurityCredentialsDevice':
      return { params: { deviceCertificate: Buffer.from(body.value.deviceCertificate).toString('base64') } };
    case 'updateSecurityCredentialsKrp':
      return withExecutionTime(remotePartyReplacementParams(body.value), body.value.executionDateTimeMs);
    case 'synchroniseClock':
    case 'commissionDevice':
      return { params: { timeMs: body.value.dateTimeMs, toleranceS: body.value.tolerancePeriodS } };
    case 'activateFirmware':
      return withExecutionTime({ imageHash: body.value.imageHash }, body.value.executionDateTimeMs);
    case 'readPrepaymentDailyReadLog':
    case 'retrieveBillingDataLogDebtPayments':
    case 'retrieveBillingDataLogPrepaymentCredits':
      return { params: period(srv, body.value.period) };
    case 'setDeviceConfigurationImportMpxn': {
      // Empty strings are the fields the request leaves out.
      const { importMpan, secondaryImportMpan, importMprn } = body.value;
      const given = { importMpan, secondaryImportMpan, importMprn };
      return { params: Object.fromEntries(Object.entries(given).filter(([, value]) => value !== '')) };
    }
    case 'setDeviceConfigurationExportMpan':
      return { params: { exportMpan: body.value.exportMpan } };
    case 'updateSupplierName':
      return { params: { name: body.value.supplierName, telephone: body.value.supplierTelephoneNumber } };
    case 'readDeviceConfigurationMpxn':
    case 'disablePrivacyPin':
    case 'readDeviceConfigurationGas':
    case 'recordNetworkDataGas':
      return {};
    // Auxiliary load control: the model takes the wire's shape and checks it with the hub's rules.
    case 'activateAuxiliaryLoad':
    case 'deactivateAuxiliaryLoad':
    case 'resetAuxiliaryLoad':
    case 'addAuxiliaryLoadToBoostButton':
    case 'removeAuxiliaryLoadFromBoostButton':
    case 'readBoostButtonDetails':
    case 'setRandomisedOffsetLimit':
    case 'setAuxiliaryControllerState':
    case 'limitApcLevel':
    case 'updateDeviceConfigurationAlcDescriptions':
      return { params: jsonOf(body.value) };
    case 'updateDeviceConfigurationAlcScheduler':
    case 'updateDeviceConfigurationAuxiliaryControllerScheduler': {
      const { executionDateTimeMs, ...rest } = body.value;
      return withExecutionTime(jsonOf(rest), executionDateTimeMs);
    }
    case 'readAlcsData':
    case 'readAuxiliaryControllerConfigurationData':
    case 'readAuxiliaryControllerOperationalData':
      return {};
    case 'updateDeviceConfigurationGasConversion':
      return { params: gasConversionParams(srv, body.value) };
    case 'updateDeviceConfigurationGasFlow':
      return { params: gasFlowParams(srv, body.value) };
    case 'readEventOrSecurityLog':
      return { params: readDeviceLogParams(srv, body.value) };
    case 'clearEventLog':
      return { params: clearEventLogParams(srv, body.value) };
    case 'setMaximumDemandConfigurableTimePeriod':
      return { params: { startS: body.value.startTimeS, endS: body.value.endTimeS } };
    case 'resetMaximumDemandRegisters':
      return { params: resetMaxDemandParams(body.value) };
    case 'updateDeviceConfigurationInstantaneousPowerThreshold':
      return {
        params: {
          lowMediumW: body.value.lowMediumPowerThresholdW,
          mediumHighW: body.value.mediumHighPowerThresholdW,
        },
      };
    case 'updateDeviceConfigurationBillingCalendar': {
      // The calendar travels in the wire's shape; the model checks it with the hub's rule (libs/domain).
      const { electricity, gas } = body.value;
      return {
        params: {
          ...(electricity ? { electricity: jsonOf(electricity) } : {}),
          ...(gas ? { gas: jsonOf(gas) } : {}),
        },
      };
    }
    case 'retrieveBillingCalendarTriggeredBillingDataLog':
    case 'retrieveExportDailyReadLog':
    case 'retrieveCoMOrTariffTriggeredBillingDataLog':
      return { params: period(srv, body.value.period) };
    case 'readNetworkData':
      return body.value.period ? { params: period(srv, body.value.period) } : {};
    case 'readDeviceConfigurationBillingCalendar':
    case 'readActivePowerImport':
    case 'readMaximumDemandImportRegisters':
    case 'readMaximumDemandExportRegisters':
    case 'readDeviceConfigurationInstantaneousPowerThresholds':
    case 'updateDeviceConfigurationRmsVoltageCounterReset':
      return {};
    case 'readInstantaneousImportRegisters':
    case 'readInstantaneousImportTouMatrices':
    case 'readInstantaneousExportRegisters':
    case 'readInstantaneousPrepayValues':
    case 'readMeterBalance':
    case 'readPrepaymentConfiguration':
    case 'readSupplyStatus':
    case 'readFirmwareVersion':
    case 'readLoadLimitData':
    case 'updateDeviceConfigurationLoadLimitingCounterReset':
    case 'readDeviceConfigurationVoltage':
    case 'readDeviceConfigurationRandomisation':
    case 'readDeviceConfigurationIdentityExcMpxn':
    case 'readDeviceConfigurationPaymentMode':
    case 'readDeviceConfigurationEventAndAlertBehaviours':
    case 'enableSupply':
    case 'disableSupply':
    case 'armSupply':
    case 'activateEmergencyCredit':
      return {};
    case 'updateImportTariffSecondaryElement':
    case 'updatePricePrimaryElement':
    case 'updatePriceSecondaryElement':
    case 'resetTariffBlockCounterMatrix':
    case 'readTariffPrimaryElement':
    case 'readTariffSecondaryElement':
    case 'readInstantaneousImportTouWithBlocksMatrices':
    case 'readInstantaneousImportBlockCounters':
    case 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix':
      // Tariffs in DUIS form (tariff-params.ts).
      return tariffCallOf(body) ?? {};
    case 'joinServiceCritical':
    case 'joinServiceNonCritical':
    case 'unjoinServiceCritical':
    case 'unjoinServiceNonCritical':
      return { params: { otherDeviceId: body.value.otherDeviceId } };
    case 'readDeviceLog':
      return { params: { securityDetails: body.value.readSecurityDetails } };
    case 'updateHanDeviceLog':
      return { params: hanDeviceLogUpdate(srv, body.value) };
    case 'restoreHanDeviceLog':
      return {
        params: { oldChfId: body.value.oldChfId, savedEntries: body.value.savedEntries.map(savedEntry) },
      };
    case 'restoreGpfDeviceLog':
      return {
        params: { oldGpfId: body.value.oldGpfId, savedEntries: body.value.savedEntries.map(savedEntry) },
      };
    case 'setChfSubGhzConfiguration':
      return { params: jsonOf(body.value) };
    case 'readChfSubGhzChannelLog':
      return { params: period(srv, body.value.period) };
    case 'requestChfSubGhzChannelScan':
    case 'requestCustomerIdentificationNumber':
    case 'readChfSubGhzConfiguration':
    case 'readChfSubGhzChannel':
      return {};
    case 'readInventory':
    case 'decommissionDevice':
    case 'updateInventory':
    case 'devicePrenotification':
    case 'createSchedule':
    case 'readSchedule':
    case 'deleteSchedule':
    case 'requestWanMatrix':
    case 'serviceOptIn':
    case 'chfInstallSuccess':
    case 'chfInstallNoSmWan':
    case 'chfFaultReturn':
    case 'chfNoFaultReturn':
    case 'returnLocalCommandResponse':
    case 'updateFirmware':
    case 'updatePpmidFirmware':
      // Non-device SRVs (8.2, 8.3, 8.4, 8.6, 8.13, 8.14.x, 12.1, 12.2; 5.1-5.3; 11.1, 11.4): access control routes
      // them to registration or scheduling, or fans a firmware image out as transfers (firmware-transfer.ts); they
      // never reach a device.
      throw DccError.invalidArgument(`SRV ${srv} is answered by the hub, not by a device`);
  }
}

function period(srv: string, value: ReadLogPeriod | undefined): ModelPeriod {
  if (!value) throw DccError.invalidArgument(`SRV ${srv}: period is missing`);
  return { startMs: value.startMs, endMs: value.endMs };
}
