import type { ExpectedRefusal } from './sample-runner.js';

/** The device's own refusal: a failure response with status FAILED_PRECONDITION and the device's reason. */
const deviceRefusal = (reason: string): ExpectedRefusal => ({ code: 'FAILED_PRECONDITION', reason });

const DCC_INITIATED: ExpectedRefusal = {
  code: 'E1',
  reason:
    "a DCC-initiated sample: its originator is the DCC's own id, which holds no User Role, so the User interface refuses it",
};
const FOREIGN_UTRN = deviceRefusal(
  "the sample's UTRN was made with DCC Boxed's supplier and device keys; the meter checks its authentication tag against its own and refuses it (GBCS CS01a/b)",
);
const UNKNOWN_FIRMWARE_HASH = deviceRefusal(
  "no image with the sample's hash was distributed to the device (11.1 is not expressible yet); the device refuses to activate an image it does not hold (GBCS CS06)",
);
const NOTHING_TO_CANCEL = deviceRefusal(
  'the future-dated command it cancels was refused by the device, so nothing is pending and the device refuses the cancellation',
);
const NO_ROLE_FOR_APC_LIMIT: ExpectedRefusal = {
  code: 'E2',
  reason:
    'the 2022 eligibility matrix gives 7.16 Limit APC Level to no User Role (DCC-REFERENCE §1.2), so every User is refused it; the body maps whole and the device model carries it out once a role may send it',
};
const NO_CREDIT_TO_ENABLE = deviceRefusal(
  "by then DCC's samples have left the ESME in prepayment mode (ECS03) with a disablement threshold of 556677 (£5.57) and its meter balance reset to zero (ECS04b), so its credit is below the threshold: a prepayment ESME does not enable its supply remotely until credit is added (SMETS2: supply is enabled only while credit is above the disablement threshold); a top-up first, or ECS02's credit mode, lets 7.1 through",
);
/** 9.1 is an Other User's SRV; DCC's samples send it from the supplier's id. */
const SUPPLIER_SENDS_OTHER_USER_SRV: ExpectedRefusal = {
  code: 'E2',
  reason:
    "9.1 is for Other Users only (DCC-REFERENCE §1.2) and the sample's originator is DCC Boxed's supplier, which acts as IS, GS or ES here",
};

/** DCC's 6.23 samples are sent by GITTESTSUPPLIER with GITTESTSUPPLIER2's certificates. */
const ANOTHER_SUPPLIERS_CERTIFICATES: ExpectedRefusal = {
  code: 'INVALID_ARGUMENT',
  reason:
    "the sample's SupplierReplacementCertificates are GITTESTSUPPLIER2's (entity 90-B3-D5-1F-30-03-00-00) but it is sent by 90-B3-D5-1F-30-01-00-00: the hub, as CoS party, installs only the sender's own credentials (its registered signing and top-up keys) and refuses another party's before I99 (its ImportMPxN is not the estate's point either)",
};

const UNKNOWN_SCHEDULE: ExpectedRefusal = {
  code: 'NOT_FOUND',
  reason:
    "no schedule 123: the DCC gives a DSPScheduleID at 5.1 (the 5.1 sample's schedule got its own), and a User reads or deletes only a schedule it holds",
};

/**
 * The refusals the hub documents for samples, by sample name: what a real DCC or device would answer too for the
 * sample as published, in this estate and in this order. Anything refused otherwise counts as "other".
 */
export const EXPECTED_REFUSALS: Readonly<Record<string, ExpectedRefusal>> = {
  'CS08_11.2_SUCCESS': DCC_INITIATED,
  'CS01a_2.2_SUCCESS': FOREIGN_UTRN,
  'CS01b_2.2_SUCCESS': FOREIGN_UTRN,
  'ECS17b_4.1.1_DSP_FUTURE_DATED': {
    code: 'INVALID_ARGUMENT',
    reason:
      "the sample's ExecutionDateTime (2015-01-15) is in the past: the DCC holds a DSP future-dated request only for an instant ahead (at most 31 days), and refuses it before I99 (docs/architecture.md, DSP future-dated requests)",
  },
  '5.2_READ_SCHEDULE': UNKNOWN_SCHEDULE,
  '5.3_DELETE_SCHEDULE': UNKNOWN_SCHEDULE,
  'GCS16b_4.14_URP_SUCCESS': {
    code: 'E2',
    reason:
      "its originator is DCC Boxed's third User, which holds the Other User role only; 4.14 is for IS and GS (DCC-REFERENCE §1.2)",
  },
  'CS06_11.3_IMMEDIATE_SUCCESS': UNKNOWN_FIRMWARE_HASH,
  'CS06_11.3_FUTURE_DATED_SUCCESS': UNKNOWN_FIRMWARE_HASH,
  'CS06_11.3_CANCELLATION_SUCCESS': NOTHING_TO_CANCEL,
  'ECS47e_7.16_APC_INPUT_SUCCESS': NO_ROLE_FOR_APC_LIMIT,
  'ECS47e_7.16_APC_OUTPUT_SUCCESS': NO_ROLE_FOR_APC_LIMIT,
  'ECS42_7.1_SUCCESS': NO_CREDIT_TO_ENABLE,
  'ECS50_9.1_SUCCESS': SUPPLIER_SENDS_OTHER_USER_SRV,
  'GCS36_9.1_SUCCESS': SUPPLIER_SENDS_OTHER_USER_SRV,
  'CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
  'CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
  'CS02bSupplierByTransCoS_6.23_CANCELLATION_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
};
