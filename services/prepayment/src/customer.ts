import { DccError, parseMpan, parseMprn } from '@dcc/domain';

/** The meter point a payment is for, from the channel's customer id. */
export interface CustomerPoint {
  /** The MPAN core (electricity, 13 digits) or MPRN (gas, 6-11 digits), check digits verified. */
  mpxn: string;
  fuel: 'electricity' | 'gas';
}

const MAX_CUSTOMER_ID = 64;

/**
 * Reads `<account>:<MPxN>` (the channel's customer reference embedding the meter point). 13 digits are an MPAN
 * core, 6-11 an MPRN; a wrong check digit is INVALID_ARGUMENT before anything is recorded or issued, because a
 * mistyped customer number must not top up somebody else's meter.
 */
export function parseCustomerId(customerId: string): CustomerPoint {
  if (customerId.length === 0 || customerId.length > MAX_CUSTOMER_ID) {
    throw DccError.invalidArgument(`customer_id must be 1-${MAX_CUSTOMER_ID} characters`);
  }
  const colon = customerId.lastIndexOf(':');
  const mpxn = colon < 0 ? '' : customerId.slice(colon + 1);
  if (colon <= 0 || mpxn === '') {
    throw DccError.invalidArgument(`customer_id "${customerId}" is not "<account>:<MPAN or MPRN>"`);
  }
  if (mpxn.length === 13) return { mpxn: parseMpan(mpxn, { field: 'customer MPAN' }), fuel: 'electricity' };
  return { mpxn: parseMprn(mpxn, { field: 'customer MPRN' }), fuel: 'gas' };
}
