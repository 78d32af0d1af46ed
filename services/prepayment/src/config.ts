import { z } from 'zod';

/** The prepayment service's own settings (on top of the service-kit base ones). */
export const prepaymentConfig = {
  /**
   * Payment channels allowed to call dcc.v1.PrepaymentService: comma-separated identities (client certificate
   * CNs, EUI-64). Empty (the default): nobody may; the API always needs mutual TLS.
   */
  PREPAYMENT_CHANNEL_IDS: z.string().default(''),
  /**
   * The suppliers whose top-ups this service issues (comma-separated User IDs): a payment goes on to the
   * supplier's approval only when the meter point's registered supplier is one of them.
   */
  PREPAYMENT_SUPPLIER_IDS: z.string().default(''),
  /**
   * The suppliers' credentials, laid out as the development PKI's users/ directory: `<id>.topup.key` (the
   * supplier's prepayment top-up KA private key, PEM) and, when ACCESS_CONTROL_CA_FILE is set, `<id>.pem` and
   * `<id>.key` (the supplier's client certificate for access control).
   */
  PREPAYMENT_SUPPLIER_KEY_DIR: z.string().min(1),
  /** Where access control's dcc.v1.ServiceRequestsService answers (host:port). */
  ACCESS_CONTROL_ADDRESS: z.string().min(1).default('127.0.0.1:50061'),
  /** The CA access control's server certificate chains to; unset: plaintext (local development only). */
  ACCESS_CONTROL_CA_FILE: z.string().min(1).optional(),
  /** Largest top-up a channel may take, in pence (a UTRN carries up to £8191). */
  PREPAYMENT_MAX_PENCE: z.coerce.number().int().min(1).max(819_100).default(819_100),
  /** How long one approval request waits for the supplier's answer on `dcc.prepayment.approval.<supplier>`. */
  PREPAYMENT_APPROVAL_TIMEOUT_MS: z.coerce.number().int().min(10).default(5_000),
  /**
   * A payment whose supplier has not answered its approval is asked again by the sweep; this long after receipt
   * it is REFUSED ("did not answer"), so the channel can refund it.
   */
  PREPAYMENT_APPROVAL_GIVE_UP_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * 60_000),
  /**
   * How long after the hub accepted a top-up's 2.2 without the meter answering (the WAN is down) the payment is
   * reported PENDING_MANUAL_ENTRY: the customer should key the UTRN in.
   */
  PREPAYMENT_MANUAL_ENTRY_AFTER_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often top-ups issued but not yet dispatched (e.g. access control was down) are sent again. */
  PREPAYMENT_RETRY_MS: z.coerce.number().int().min(10).default(5_000),
  /**
   * Test hook, off by default: after a UTRN is recorded as issued and before it is dispatched, wait this long
   * (so a process test can kill the service in between).
   */
  PREPAYMENT_TEST_PAUSE_AFTER_ISSUE_MS: z.coerce.number().int().min(0).default(0),
};
