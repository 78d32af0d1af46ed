import { PaymentMode } from '@dcc/proto';
import { Unexpressible } from './body-reader.js';
import { empty, executionDateTime, type SampleMapper } from './map-common.js';

/**
 * 1.x tariffs and modes, 2.x prepayment, as the API's bodies stand: what they have no place for stays unread
 * (so the sample counts as dropping it).
 */
export const PREPAYMENT_MAPPERS: Record<string, SampleMapper> = {
  '1.1.1': () => {
    throw new Unexpressible(
      'the 1.1.1 body is one daily 48-slot table: no seasons, week or day profiles, blocks',
    );
  },
  '1.5': () => {
    throw new Unexpressible('the 1.5 body has no payment-mode choice (PrepaymentMode or CreditMode)');
  },
  '1.6': (body) => ({
    $case: 'updatePaymentMode',
    value: {
      ...executionDateTime(body),
      mode: body.flag('Credit') ? PaymentMode.PAYMENT_MODE_CREDIT : PaymentMode.PAYMENT_MODE_PREPAYMENT,
    },
  }),
  '2.2': (body) => ({ $case: 'topUpDevice', value: { utrn: body.text('UTRN') } }),
  '2.5': empty('activateEmergencyCredit'),
};
