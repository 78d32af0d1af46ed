import { z } from 'zod';

/** smets2-adapter's own settings (on top of the service-kit base ones). */
export const smets2AdapterConfig = {
  /** Size of the simulated SMETS2 fleet this adapter serves (device ids are arithmetic, see SimulatedFleet). */
  FLEET_SIZE: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Seed of the deterministic consumption model. */
  FLEET_SEED: z.coerce.number().int().min(0).default(0),
  /** A meter actor with no command for this long leaves memory. */
  ACTOR_IDLE_MS: z.coerce.number().int().positive().default(120_000),
  /** Commands handed to this adapter and not yet answered, across its instances. */
  MAX_COMMANDS_IN_FLIGHT: z.coerce.number().int().positive().default(10_000),
  /**
   * The same USERS JSON as access-control's; the adapter reads only each User's `signingKeys`
   * ([{keyId, publicKeyPem}], ECDSA P-256 SPKI PEM): the public keys of the supplier credentials meters trust,
   * by (User ID, keyId). A critical command whose meter trusts a key not listed here is refused (PERMISSION_DENIED).
   */
  USERS: z.string().optional(),
};
