import { DccError, debtRecoveryPencePerDay, GrpcStatus } from '@dcc/domain';
import {
  SUPPORTED_SRVS,
  type JsonValue,
  type ReadLogPeriod as ModelPeriod,
  type UpdateDebtParams,
  type UpdatePaymentModeParams,
  type UpdatePrepayConfigParams,
  type UpdateVoltageConfigParams,
} from '@dcc/meter';
import { alertBehaviourParams } from './alert-params.js';
import { commonValidity } from '@dcc/pki';
import { gasConversionParams, gasFlowParams } from './gas-params.js';
import { loadLimitParams } from './load-limit-params.js';
import { supplyTamperParams } from './supply-tamper-wire.js';
import { handoverParams } from './handover-wire.js';
import {
  credentialTypeParams,
  remotePartyReplacementParams,
  remotePartyRolesParams,
} from './security-credentials-wire.js';
import {
  HanDeviceLogRequestType,
  PaymentMode,
  PrepayConfigFuel,
  srvBodiesOf,
  type DebtRecoveryRate,
  type ReadLogPeriod,
  type ServiceRequest,
  type SavedDeviceLogEntry,
  type UpdateHanDeviceLog,
} from '@dcc/proto';
import { tariffCallOf } from './tariff-params.js';
import { clearEventLogParams, readDeviceLogParams, resetMaxDemandParams } from './log-and-demand-params.js';

/** What the device model needs from a request besides its RequestID: the parameters and any execution time. */
export interface DeviceCall {
  /** The model's parameters for the SRV (libs/meter/src/commands/types.ts); undefined for parameterless SRVs. */
  params?: unknown;
  /** Device future-dating (1.1.1, 1.6, 2.1, 6.4.1, 6.23, 11.3): when the meter is to execute it, meter clock, UTC milliseconds. */
  executionTimeMs?: number;
}

type Body = NonNullable<ServiceRequest['body']>;

/**
 * Maps a request's body to the device model's parameters. A body whose case does not belong to the SRV, or a
 * missing body for an SRV that needs parameters, is INVALID_ARGUMENT (access control refuses both already; the
 * adapter checks again because its mail may come from elsewhere). An SRV the device model does not know is
 * passed through without parameters, so the model answers it (UNIMPLEMENTED, "not supported by this device
 * model"); one the model knows but the wire protocol does not carry yet is UNIMPLEMENTED before it reaches the
 * device. The values themselves are checked by the model, which names the field.
 */
export function deviceCallOf(request: ServiceRequest): DeviceCall {
  const srv = request.serviceReferenceVariant;
  const bodies = srvBodiesOf(srv);
  if (!bodies) {
    if ((SUPPORTED_SRVS as readonly string[]).includes(srv)) {
      throw new DccError(GrpcStatus.UNIMPLEMENTED, `SRV ${srv} is not yet carried by the wire protocol`);
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
    case 'updateDeviceConfigurationVoltage': {
      const v = body.value;
      const params: UpdateVoltageConfigParams = {};
      for (const key of [
        'averageOverV',
        'averageUnderV',
        'extremeOverV',
        'extremeUnderV',
        'swellV',
        'sagV',
        'averagePeriodS',
        'extremePeriodS',
        'sagSwellPeriodS',
      ] as const) {
        if (v[key] !== undefined) params[key] = v[key];
      }
      if (v.rmsVoltageCountersNotReset) params.keepCounters = true;
      if (v.polyPhaseVoltageSettings.length > 0)
        params.phases = v.polyPhaseVoltageSettings.map((p) => ({ ...p }));
      return { params };
    }
    case 'configureAlertBehaviour': {
      return { params: alertBehaviourParams(srv, body.value) };
    }
    case 'requestHandoverOfDccControlledDevice': {
      return { params: handoverParams(body.value) };
    }
    case 'serviceOptOut': {
      // 8.5: the replacement ACB's credentials travel to the device, which validates the certificate path.
      const v = body.value;
      const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
      return {
        params: {
          acbFloorSeq: v.acbFloorSeqNumber,
          certificate: base64(v.replacementKeyAgreementCertificate),
          certificationPath: v.certificationPathCertificates.map(base64),
          timeBasedChecks: v.applyTimeBasedCpvChecks,
        },
      };
    }
    case 'updateSecurityCredentials': {
      // The CoS party's signature and the top-up key it signed travel to the meter, which installs nothing
      // without them; with time-based checks asked for, the device reads its certificates' validity window.
      const v = body.value;
      const { supplierId, signingKeyId, topUpFloor, executionDateTimeMs, cosSignature } = v;
      const topUpKey = Buffer.from(v.topUpKey).toString('base64');
      const cos =
        cosSignature.length > 0 ? { cosSignature: Buffer.from(cosSignature).toString('base64') } : {};
      const certificates = [
        v.digitalSigningCertificate,
        v.keyAgreementCertificate,
        v.keyAgreementTopUpCertificate,
      ];
      const validity = v.applyTimeBasedCpvChecks
        ? { validity: commonValidity(certificates, 'SRV 6.23 replacement certificates') }
        : {};
      const supplierFloor = v.supplierFloorSeqNumber;
      return withExecutionTime(
        { supplierId, signingKeyId, topUpFloor, topUpKey, supplierFloor, ...validity, ...cos },
        executionDateTimeMs,
      );
    }
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
    case 'updateMeterBalance': {
      const { change, balanceMode } = body.value;
      const mode =
        balanceMode === undefined ? {} : { balanceMode: paymentMode(srv, 'balance_mode', balanceMode) };
      if (change?.$case === 'adjustPence')
        return { params: { adjustPence: pence(srv, 'adjust_pence', change.value), ...mode } };
      if (change?.$case === 'reset' && change.value) return { params: { reset: true, ...mode } };
      throw DccError.invalidArgument(`SRV ${srv}: give either adjust_pence or reset: true`);
    }
    case 'updatePaymentMode': {
      const v = body.value;
      const params: UpdatePaymentModeParams = { mode: paymentMode(srv, 'mode', v.mode) };
      if (v.suspendDebtDisabled !== undefined) params.suspendDebtDisabled = v.suspendDebtDisabled;
      if (v.suspendDebtEmergency !== undefined) params.suspendDebtEmergency = v.suspendDebtEmergency;
      if (v.disablementThresholdPence !== undefined)
        params.disablementThresholdPence = pence(
          srv,
          'disablement_threshold_pence',
          v.disablementThresholdPence,
        );
      return withExecutionTime(params, v.executionDateTimeMs);
    }
    case 'updatePrepayConfiguration': {
      const v = body.value;
      const params: UpdatePrepayConfigParams = {};
      if (v.removeDebtRecoveryCap) {
        if (v.debtRecoveryCapPencePerDay !== undefined) {
          throw DccError.invalidArgument(
            `SRV ${srv}: give either debt_recovery_cap_pence_per_day or remove_debt_recovery_cap`,
          );
        }
        params.debtRecoveryCapPencePerDay = null;
      }
      for (const [key, field] of [
        ['debtRecoveryCapPencePerDay', 'debt_recovery_cap_pence_per_day'],
        ['emergencyCreditLimitPence', 'emergency_credit_limit_pence'],
        ['emergencyCreditThresholdPence', 'emergency_credit_threshold_pence'],
        ['lowCreditThresholdPence', 'low_credit_threshold_pence'],
        ['maxMeterBalancePence', 'max_meter_balance_pence'],
        ['maxCreditThresholdPence', 'max_credit_threshold_pence'],
        ['disablementThresholdPence', 'disablement_threshold_pence'],
      ] as const) {
        const value = v[key];
        if (value !== undefined) params[key] = pence(srv, field, value);
      }
      // The calendar travels in the wire's shape; the model checks it with the hub's rule (libs/domain).
      if (v.fuel !== undefined) params.fuel = fuelOf(srv, v.fuel);
      if (v.electricityCalendar) params.electricityCalendar = jsonOf(v.electricityCalendar);
      if (v.gasCalendar) params.gasCalendar = jsonOf(v.gasCalendar);
      return withExecutionTime(params, v.executionDateTimeMs);
    }
    case 'updateDebt': {
      const v = body.value;
      const params: UpdateDebtParams = {};
      for (const [key, field] of [
        ['timeDebt1Pence', 'time_debt_1_pence'],
        ['timeDebt2Pence', 'time_debt_2_pence'],
        ['paymentDebtPence', 'payment_debt_pence'],
        ['timeDebt1RecoveryPencePerDay', 'time_debt_1_recovery_pence_per_day'],
        ['timeDebt2RecoveryPencePerDay', 'time_debt_2_recovery_pence_per_day'],
      ] as const) {
        const value = v[key];
        if (value !== undefined) params[key] = pence(srv, field, value);
      }
      if (v.paymentDebtRecoveryPercent !== undefined)
        params.paymentDebtRecoveryPercent = v.paymentDebtRecoveryPercent;
      // DUIS's spellings: hundredths of a percent, and rate × 10^scale pence per period (debt-recovery-rate.ts).
      if (v.debtRecoveryPerPayment !== undefined)
        params.paymentDebtRecoveryPercent = v.debtRecoveryPerPayment / 100;
      if (v.timeDebt1RecoveryRate)
        params.timeDebt1RecoveryPencePerDay = perDay(
          srv,
          'time_debt_1_recovery_rate',
          v.timeDebt1RecoveryRate,
        );
      if (v.timeDebt2RecoveryRate)
        params.timeDebt2RecoveryPencePerDay = perDay(
          srv,
          'time_debt_2_recovery_rate',
          v.timeDebt2RecoveryRate,
        );
      return { params };
    }
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

/** 8.12.x: one entry of the old device's saved log, as access control filled it from the inventory. */
function savedEntry(entry: SavedDeviceLogEntry): { deviceId: string; deviceType: string } {
  return { deviceId: entry.deviceId, deviceType: entry.deviceType };
}

/** 8.11: Add with its whitelist entry (empty MPxN strings are the fields the request leaves out), or Remove. */
function hanDeviceLogUpdate(srv: string, update: UpdateHanDeviceLog): unknown {
  const { deviceId, requestType, add } = update;
  if (requestType === HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_REMOVE)
    return { deviceId, remove: true };
  if (requestType !== HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_ADD || !add) {
    throw DccError.invalidArgument(`SRV ${srv}: requestType must be Add (with add) or Remove`);
  }
  const optional = { importMpxn: add.importMpxn, secondaryImportMpan: add.secondaryImportMpan };
  return {
    deviceId,
    add: {
      joinTimePeriod: add.joinTimePeriod,
      installCode: add.installCode,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== '')),
    },
  };
}

function fuelOf(srv: string, fuel: PrepayConfigFuel): 'electricity' | 'gas' {
  if (fuel === PrepayConfigFuel.PREPAY_CONFIG_FUEL_ELECTRICITY) return 'electricity';
  if (fuel === PrepayConfigFuel.PREPAY_CONFIG_FUEL_GAS) return 'gas';
  throw DccError.invalidArgument(`SRV ${srv}: fuel must be electricity or gas`);
}

/** A decoded message as JSON-safe data (absent optional fields dropped), as a pending command may hold it. */
function jsonOf(message: object): JsonValue {
  return JSON.parse(JSON.stringify(message)) as JsonValue;
}

function withExecutionTime(params: unknown, executionDateTimeMs: number | undefined): DeviceCall {
  return { params, ...(executionDateTimeMs === undefined ? {} : { executionTimeMs: executionDateTimeMs }) };
}

const MODE: Partial<Record<PaymentMode, 'credit' | 'prepayment'>> = {
  [PaymentMode.PAYMENT_MODE_CREDIT]: 'credit',
  [PaymentMode.PAYMENT_MODE_PREPAYMENT]: 'prepayment',
};

function paymentMode(srv: string, field: string, value: PaymentMode): 'credit' | 'prepayment' {
  const mode = MODE[value];
  if (!mode) throw DccError.invalidArgument(`SRV ${srv}: ${field} must be credit or prepayment`);
  return mode;
}

function perDay(srv: string, field: string, rate: DebtRecoveryRate): number {
  const result = debtRecoveryPencePerDay(rate.rate, rate.priceScale, rate.period);
  if ('error' in result) throw DccError.invalidArgument(`SRV ${srv}: ${field}: ${result.error}`);
  return result.pencePerDay;
}

const PENCE = /^-?\d{1,12}(\.\d{1,3})?$/;

/** Money as the wire carries it, a decimal string of pence with at most three fractional digits → a number. */
function pence(srv: string, field: string, value: string): number {
  if (!PENCE.test(value)) {
    throw DccError.invalidArgument(
      `SRV ${srv}: ${field} holds "${value}", not pence as a decimal with at most three fractional digits`,
    );
  }
  return Number(value);
}

function period(srv: string, value: ReadLogPeriod | undefined): ModelPeriod {
  if (!value) throw DccError.invalidArgument(`SRV ${srv}: period is missing`);
  return { startMs: value.startMs, endMs: value.endMs };
}
