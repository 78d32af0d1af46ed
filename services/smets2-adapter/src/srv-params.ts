import { DccError, GrpcStatus } from '@dcc/domain';
import {
  SUPPORTED_SRVS,
  type ReadLogPeriod as ModelPeriod,
  type UpdateVoltageConfigParams,
} from '@dcc/meter';
import { srvBodiesOf, type ReadLogPeriod, type ServiceRequest } from '@dcc/proto';

/** What the device model needs from a request besides its RequestID: the parameters and any execution time. */
export interface DeviceCall {
  /** The model's parameters for the SRV (libs/meter/src/commands/types.ts); undefined for parameterless SRVs. */
  params?: unknown;
  /** Device future-dating (6.23): when the meter is to execute it, meter clock, UTC milliseconds. */
  executionTimeMs?: number;
}

type Body = NonNullable<ServiceRequest['body']>;

/**
 * Maps a request's body to the device model's parameters. A body whose case does not belong to the SRV, or a
 * missing body for an SRV that needs parameters, is INVALID_ARGUMENT (access control refuses both already; the
 * adapter checks again because its mail may come from elsewhere). An SRV the device model does not know is
 * passed through without parameters, so the model answers it (UNIMPLEMENTED, "not supported by this device
 * model"); one the model knows but the wire protocol does not carry yet (the critical ones) is UNIMPLEMENTED
 * before it reaches the device. The values themselves are checked by the model, which names the field.
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
  return paramsOf(srv, body);
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
      return { params };
    }
    case 'configureAlertBehaviour': {
      const enable = alertCodes(srv, 'enable_alert_codes', body.value.enableAlertCodes);
      const disable = alertCodes(srv, 'disable_alert_codes', body.value.disableAlertCodes);
      return {
        params: { ...(enable.length > 0 ? { enable } : {}), ...(disable.length > 0 ? { disable } : {}) },
      };
    }
    case 'updateSecurityCredentials': {
      const { supplierId, signingKeyId, topUpFloor, executionDateTimeMs } = body.value;
      return {
        params: { supplierId, signingKeyId, topUpFloor },
        ...(executionDateTimeMs === undefined ? {} : { executionTimeMs: executionDateTimeMs }),
      };
    }
    case 'readInstantaneousImportRegisters':
    case 'readInstantaneousImportTouMatrices':
    case 'readInstantaneousExportRegisters':
    case 'readInstantaneousPrepayValues':
    case 'readNetworkData':
    case 'readMeterBalance':
    case 'readSupplyStatus':
    case 'readFirmwareVersion':
    case 'enableSupply':
    case 'disableSupply':
    case 'armSupply':
    case 'activateEmergencyCredit':
      return {};
  }
}

function period(srv: string, value: ReadLogPeriod | undefined): ModelPeriod {
  if (!value) throw DccError.invalidArgument(`SRV ${srv}: period is missing`);
  return { startMs: value.startMs, endMs: value.endMs };
}

const ALERT_CODE = /^[0-9A-Fa-f]{4}$/;

/** Alert codes as the wire carries them ("810D") → the model's numbers. */
function alertCodes(srv: string, field: string, codes: readonly string[]): number[] {
  return codes.map((code) => {
    if (!ALERT_CODE.test(code)) {
      throw DccError.invalidArgument(
        `SRV ${srv}: ${field} holds "${code}", not an alert code of four hex digits`,
      );
    }
    return Number.parseInt(code, 16);
  });
}
