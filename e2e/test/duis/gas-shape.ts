import type { ServiceResponse } from '@dcc/proto';

/**
 * Why a gas meter's (GSME or GPF) answer to a consumption read is not in the gas meter's shape, or undefined when
 * it is (or the answer is no consumption read): its registers and logs carry the volume it measured beside the
 * energy it derived (gas_srvs.proto).
 */
export function gasShapeMissing(response: ServiceResponse): string | undefined {
  const body = response.body;
  switch (body?.$case) {
    case 'importRegisters':
      return body.value.gas ? undefined : 'the registers carry no gas volume';
    case 'dailyReadLog':
      return body.value.entries.every((e) => e.volumeDm3 !== undefined)
        ? undefined
        : 'the daily reads carry no gas volume';
    case 'importProfile':
      return body.value.valuesDm3.length === body.value.valuesWh.length
        ? undefined
        : 'the profile carries no gas volumes';
    case 'dailyConsumptionLog':
      return body.value.entries.every((e) => e.volumeDm3 !== undefined)
        ? undefined
        : 'the daily consumption carries no gas volume';
    default:
      return undefined;
  }
}
