import { z } from 'zod';

/** smets2-adapter's own settings (on top of the service-kit base ones). */
export const smets2AdapterConfig = {
  /** Size of the simulated SMETS2 fleet this adapter serves (device ids are arithmetic, see SimulatedFleet). */
  FLEET_SIZE: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Seed of the deterministic consumption model. */
  FLEET_SEED: z.coerce.number().int().min(0).default(0),
  /** A meter actor with no command for this long leaves memory. */
  ACTOR_IDLE_MS: z.coerce.number().int().positive().default(120_000),
  /** Commands handed to this adapter instance and not yet answered (its METER_MAIL consumer's max_ack_pending). */
  MAX_COMMANDS_IN_FLIGHT: z.coerce.number().int().positive().default(10_000),
  /** Meter actors kept in memory at most; beyond, the least recently used idle ones are passivated. */
  MAX_ACTIVE_ACTORS: z.coerce.number().int().positive().default(100_000),
  /** P, the partitions of `dcc.meter.s2.<partition>.<device>`: must equal access-control's METER_PARTITIONS. */
  METER_PARTITIONS: z.coerce.number().int().min(1).max(65_536).default(256),
  /** This instance's id among the adapter instances (leases, consumer name); default `<hostname>-<pid>`. */
  INSTANCE_ID: z.string().min(1).optional(),
  /** The LMDB working set of meter states; default `<os tmpdir>/dcc-smets2-adapter/<instance id>`. */
  DATA_DIR: z.string().min(1).optional(),
  /** Partition lease TTL: a crashed instance's partitions are taken over after about this long. */
  LEASE_TTL_MS: z.coerce.number().int().min(300).default(10_000),
  /** How often due meter reminders (future-dated commands, prepayment thresholds) are looked for. */
  REMINDER_TICK_MS: z.coerce.number().int().min(10).default(1_000),
  /**
   * The same USERS JSON as access-control's; the adapter reads only each User's `signingKeys`
   * ([{keyId, publicKeyPem}], ECDSA P-256 SPKI PEM): the public keys of the supplier credentials meters trust,
   * by (User ID, keyId). A critical command whose meter trusts a key not listed here is refused (PERMISSION_DENIED).
   */
  USERS: z.string().optional(),
  /**
   * The Change of Supplier party's public key (SPKI PEM file, ECDSA P-256; access-control signs with the private
   * half): the trust anchor simulated meters check a 6.23 credential swap against. Unset: every 6.23 is refused.
   */
  COS_PARTY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
};
