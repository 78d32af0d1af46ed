import { fnv1a32 } from '@dcc/domain';
import type { SrvHandler } from './handler.js';
import { done, meterTime } from './outcome.js';
import { Params } from './params.js';
import type { Acknowledged } from './types.js';

/** A Customer Identification Number: four decimal digits (inferred; DCC-REFERENCE gives no format). */
const CIN_DIGITS = 4;

/**
 * 9.1 Request Customer Identification Number (GBCS ECS50, GCS36 "Send CIN to meter"): the meter takes a new CIN
 * and shows it to the consumer, who gives it to the Other User; the answer acknowledges it without the number.
 * The CIN the DCC would send is modelled as derived from the device and the instant, so each request changes it.
 */
export const requestCustomerIdentificationNumber: SrvHandler<undefined, Acknowledged> = {
  parse: (raw) => Params.none('9.1', raw),
  execute(ctx) {
    const at = meterTime(ctx);
    const cin = fnv1a32(`${ctx.device.deviceId}:${at}`) % 10 ** CIN_DIGITS;
    ctx.state.customerIdentificationNumber = String(cin).padStart(CIN_DIGITS, '0');
    return done({ meterTimeMs: at });
  },
};
