import { deliveryConfig } from '@dcc/meter-delivery';
import { z } from 'zod';

/** smets2-adapter's settings: the delivery ones every adapter has, and its simulated fleet. */
export const smets2AdapterConfig = {
  ...deliveryConfig,
  /** Size of the simulated SMETS2 fleet this adapter serves (device ids are arithmetic, see SimulatedFleet). */
  FLEET_SIZE: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Seed of the deterministic consumption model. */
  FLEET_SEED: z.coerce.number().int().min(0).default(0),
  /**
   * The Change of Supplier party's public key (SPKI PEM file, ECDSA P-256; access-control signs with the private
   * half): the trust anchor simulated meters check a 6.23 credential swap against. Unset: every 6.23 is refused.
   */
  COS_PARTY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
};
