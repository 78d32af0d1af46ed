import { z } from 'zod';

/**
 * The settings every adapter has for its delivery (on top of the service-kit base ones); an adapter spreads
 * them into its own config schema.
 */
export const deliveryConfig = {
  /** A device actor with no command for this long leaves memory. */
  ACTOR_IDLE_MS: z.coerce.number().int().positive().default(120_000),
  /** Commands handed to this adapter instance and not yet answered (its METER_MAIL consumer's max_ack_pending). */
  MAX_COMMANDS_IN_FLIGHT: z.coerce.number().int().positive().default(10_000),
  /**
   * The share of each delivery lane's concurrency budget (CSP region, S1 service provider) runs of DCC schedules
   * may hold at once; the rest is kept for on-demand commands, which also take a freed slot first.
   */
  SCHEDULED_DELIVERY_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  /** Device actors kept in memory at most; beyond, the least recently used idle ones are passivated. */
  MAX_ACTIVE_ACTORS: z.coerce.number().int().positive().default(100_000),
  /** P, the partitions of `dcc.meter.<path>.<partition>.<device>`: must equal access-control's METER_PARTITIONS. */
  METER_PARTITIONS: z.coerce.number().int().min(1).max(65_536).default(256),
  /**
   * This instance's id among the adapter instances of its path (leases, consumer name); default
   * `<hostname>-<pid>`. At most one live process may use an id: a process started with an id takes back at once
   * the partition leases an earlier process with that id held (it is taken to be dead).
   */
  INSTANCE_ID: z.string().min(1).optional(),
  /** The LMDB working set of device states; default `<os tmpdir>/dcc-<service>/<instance id>`. */
  DATA_DIR: z.string().min(1).optional(),
  /** Partition lease TTL: a crashed instance's partitions are taken over by other instances after about this long. */
  LEASE_TTL_MS: z.coerce.number().int().min(300).default(10_000),
  /** How often due device reminders (future-dated commands, prepayment thresholds) are looked for. */
  REMINDER_TICK_MS: z.coerce.number().int().min(10).default(1_000),
  /**
   * The same USERS JSON as access-control's; the adapter reads only each User's `signingKeys`
   * ([{keyId, publicKeyPem}], ECDSA P-256 SPKI PEM): the public keys of the supplier credentials devices trust,
   * by (User ID, keyId). A critical command whose device trusts a key not listed here is refused (PERMISSION_DENIED).
   */
  USERS: z.string().optional(),
};

export type DeliveryConfig = z.infer<z.ZodObject<typeof deliveryConfig>>;
