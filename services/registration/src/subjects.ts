import { subjects } from '@dcc/bus';

/** Where a batch of events is stored (one message of the REGISTRATION stream). */
export const BATCH_SUBJECT = subjects.registrationEvent('batch');
