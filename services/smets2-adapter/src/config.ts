import { ON_DEMAND_TRT_MS } from '@dcc/domain';
import { deliveryConfig, deviceProvisioningConfig, operatorAccessConfig } from '@dcc/meter-delivery';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);
const rate = z.coerce.number().min(0).max(1).default(0);
const budget = z.coerce.number().int().min(1).max(1_000_000).default(10_000);

/**
 * smets2-adapter's settings: the delivery ones every adapter has, its simulated fleet, and each CSP region's
 * delivery model (docs/operations.md).
 */
export const smets2AdapterConfig = {
  ...deliveryConfig,
  ...operatorAccessConfig,
  ...deviceProvisioningConfig,
  /** Size of the simulated SMETS2 fleet this adapter serves (device ids are arithmetic, see SimulatedFleet). */
  FLEET_SIZE: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** How long the grid simulation waits for registration's list of a feeder's meters. */
  REGISTRATION_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Seed of the deterministic consumption model. */
  FLEET_SEED: z.coerce.number().int().min(0).default(0),
  /**
   * The Change of Supplier party's public key (SPKI PEM file, ECDSA P-256; access-control signs with the private
   * half): the trust anchor simulated meters check a 6.23 credential swap against. Unset: every 6.23 is refused.
   */
  COS_PARTY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /**
   * Target Response Time of an on-demand SMETS2 command (ms), counted from when the adapter begins to deliver
   * it: lost or late deliveries are retried within it, then answered E20/E21. DCC-REFERENCE §1.6 gives ≈ 30 s
   * (unverified) for on-demand device SRVs.
   */
  SMETS2_TRT_MS: ms(ON_DEMAND_TRT_MS),
  /** How long one delivery attempt waits for the device's response before it counts as lost and is retried. */
  CSP_ATTEMPT_TIMEOUT_MS: ms(5_000),
  /** Seed of the regions' simulated WAN (loss and latency draws). */
  CSP_WAN_SEED: z.coerce.number().int().min(0).default(0),
  /** Comms hubs (CHF or GPF device ids, comma-separated) unavailable from the start: their devices get E20. */
  CSP_UNAVAILABLE_COMMS_HUBS: z.string().default(''),
  /** Per CSP region: round-trip latency (base + uniform jitter, ms), loss probability each way, concurrency. */
  CSP_NORTH_LATENCY_MS: ms(0),
  CSP_NORTH_JITTER_MS: ms(0),
  CSP_NORTH_LOSS: rate,
  CSP_NORTH_CONCURRENCY: budget,
  CSP_CENTRAL_LATENCY_MS: ms(0),
  CSP_CENTRAL_JITTER_MS: ms(0),
  CSP_CENTRAL_LOSS: rate,
  CSP_CENTRAL_CONCURRENCY: budget,
  CSP_SOUTH_LATENCY_MS: ms(0),
  CSP_SOUTH_JITTER_MS: ms(0),
  CSP_SOUTH_LOSS: rate,
  CSP_SOUTH_CONCURRENCY: budget,
};
