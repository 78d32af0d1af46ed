import type { ServiceRequest } from '@dcc/proto';
import { jsonOf, withExecutionTime, type DeviceCall } from './device-call.js';

type Body = NonNullable<ServiceRequest['body']>;

/**
 * The tariff SRVs' bodies (tariff.proto) as the device model's parameters (libs/meter commands/tariff-types.ts),
 * or undefined for a body that is not one of them. 1.1.1 in DUIS form is here too; its simple form is not.
 */
export function tariffCallOf(body: Body): DeviceCall | undefined {
  switch (body.$case) {
    case 'updateImportTariff':
      return body.value.tariff
        ? withExecutionTime({ tariff: jsonOf(body.value.tariff) }, body.value.executionDateTimeMs)
        : undefined;
    case 'updateImportTariffSecondaryElement': {
      const { switchingTable, specialDays, priceElements, executionDateTimeMs } = body.value;
      return withExecutionTime(
        {
          switchingTable: jsonOf(switchingTable),
          specialDays: jsonOf(specialDays),
          priceElements: jsonOf(priceElements),
        },
        executionDateTimeMs,
      );
    }
    case 'updatePricePrimaryElement':
    case 'updatePriceSecondaryElement':
      return withExecutionTime(
        { priceElements: jsonOf(body.value.priceElements) },
        body.value.executionDateTimeMs,
      );
    case 'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix':
      return { params: { dailyReset: body.value.dailyTariffBlockCounterMatrixReset } };
    case 'resetTariffBlockCounterMatrix':
    case 'readTariffPrimaryElement':
    case 'readTariffSecondaryElement':
    case 'readInstantaneousImportTouWithBlocksMatrices':
    case 'readInstantaneousImportBlockCounters':
      return {};
    default:
      return undefined;
  }
}
