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
  "the sample's FirmwareHash names no image 11.1 distributed to the device (the 11.1 sample's image has another SHA-256); the device refuses to activate an image it does not hold (GBCS CS06)",
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

/** ECS70 / GCS28: DCC's published CurrentDateTime is of 2014, the meters' clocks read today. */
const CLOCK_OUTSIDE_TOLERANCE = deviceRefusal(
  "the sample's CurrentDateTime (31 December 2014) with its TolerancePeriod (60 s, or 3600 s for the GSME) is a validity window the device's own clock (today) lies far outside, so the device refuses to set its clock and keeps it (GBCS ECS70/GCS28 clock adjustment validity); sent with the current time, as a User's system does, it executes (libs/meter clock-tolerance.spec.ts)",
);
/** DCC's DSP future-dated samples (4.1.1, 8.5) name 2015-01-15. */
const PAST_DSP_DATE: ExpectedRefusal = {
  code: 'INVALID_ARGUMENT',
  reason:
    "the sample's ExecutionDateTime (2015-01-15) is in the past: the DCC holds a DSP future-dated request only for an instant ahead (at most 31 days), and refuses it before I99 (docs/architecture.md, DSP future-dated requests)",
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

/** 8.14.2 and 8.14.3 report a hub that is not installed or not on the WAN; the sample estate's CHF is both. */
const CHF_ALREADY_ON_WAN: ExpectedRefusal = {
  code: 'FAILED_PRECONDITION',
  reason:
    "the sample estate's communications hub 00-DB-12-34-56-78-90-A2 is Commissioned (installed, on the SM WAN, answering the other samples); a report that it was installed without SM WAN, or returned with a fault found prior to installation, contradicts the inventory, so registration refuses the status change (8.14.x transitions, services/registration/src/chf-operations.ts)",
};

/**
 * The refusals the hub documents for samples, by sample name: what a real DCC or device would answer too for the
 * sample as published, in this estate and in this order. Anything refused otherwise counts as "other".
 */
export const EXPECTED_REFUSALS: Readonly<Record<string, ExpectedRefusal>> = {
  'CS08_11.2_SUCCESS': DCC_INITIATED,
  'CS02fMAC_6.24.1_SUCCESS': DCC_INITIATED,
  // 8.12.2 itself executes from an IS or GS User: e2e/test/restore-device-log.spec.ts.
  'GCS59_8.12.2_SUCCESS': DCC_INITIATED,
  'CS01a_2.2_SUCCESS': FOREIGN_UTRN,
  'CS01b_2.2_SUCCESS': FOREIGN_UTRN,
  'ECS17b_4.1.1_DSP_FUTURE_DATED': PAST_DSP_DATE,
  'CS02bACBByACB_8.5_SUCCESS': PAST_DSP_DATE,
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
  '8.4_UPDATE_INVENTORY': {
    code: 'FAILED_PRECONDITION',
    reason:
      "DeleteDevice takes only a Pending device out of the inventory (one pre-notified and never installed); the sample's ESME is installed at the premises, so its supplier decommissions it (8.3) instead (services/registration/src/inventory-deletion.ts)",
  },
  '8.6_SERVICE_OPTIN': {
    code: 'INVALID_ARGUMENT',
    reason:
      "the sample's ImportMPxN 1312345678111 is DCC Boxed's, not the meter point the inventory records for its ESME; and that ESME is in DCC service (not Withdrawn), so it has nothing to opt back in to (services/registration/src/service-opt-in.ts)",
  },
  'ECS50_9.1_SUCCESS': SUPPLIER_SENDS_OTHER_USER_SRV,
  '12.2_DEVICE_PRE_NOTIFICATION': {
    code: 'ALREADY_EXISTS',
    reason:
      "it pre-notifies 00-DB-12-34-56-78-90-A0, the ESME DCC Boxed's estate (and this one) already holds, Commissioned: a device enters the inventory once (docs/srv-coverage.md, 12.2); a new device's pre-notification is stored with its manufacturer, SMETS/CHTS version and ESME variant (services/registration device-description.spec.ts)",
  },
  'ECS70_6.11_SUCCESS': CLOCK_OUTSIDE_TOLERANCE,
  'ECS70Commission_8.1.1_SUCCESS': CLOCK_OUTSIDE_TOLERANCE,
  'GCS28_6.11_SUCCESS': CLOCK_OUTSIDE_TOLERANCE,
  'GCS28Commission_8.1.1_SUCCESS': CLOCK_OUTSIDE_TOLERANCE,
  'GCS36_9.1_SUCCESS': SUPPLIER_SENDS_OTHER_USER_SRV,
  '8.14.2_COMMUNICATIONS_HUB_STATUS_UPDATE_INSTALL_NO_SM_WAN': CHF_ALREADY_ON_WAN,
  '8.14.3_COMMUNICATIONS_HUB_STATUS_UPDATE_FAULT_RETURN': CHF_ALREADY_ON_WAN,
  'CS02bSupplierByTransCoS_6.23_IMMEDIATE_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
  'CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
  'CS02bSupplierByTransCoS_6.23_CANCELLATION_SUCCESS': ANOTHER_SUPPLIERS_CERTIFICATES,
  'CS02bNOByNO_6.15.1_SUCCESS': {
    code: 'PERMISSION_DENIED',
    reason:
      "a network operator's 6.15.1 is signed by that operator (90-B3-D5-1F-30-02-00-00); the device model verifies a critical command's signature only against the supplier anchor it holds (libs/meter credentials.ts), not a network operator's, so the device refuses it and nothing is replaced",
  },
  'CS02d_6.15.2_SUCCESS': {
    code: 'FAILED_PRECONDITION',
    reason:
      "the sample's Device Certificate certifies DCC's sample key, not a key pair the ESME generated on a 6.17 and holds pending: the device takes a certificate only for its own pending pair (GBCS CS02d) and refuses it, changing nothing (libs/meter trust-anchors.spec.ts installs one that matches)",
  },
};
