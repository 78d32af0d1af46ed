import { deliveryConfig, deviceProvisioningConfig, operatorAccessConfig } from '@dcc/meter-delivery';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().min(0).max(600_000).default(fallback);
const rate = z.coerce.number().min(0).max(1).default(0);
const budget = z.coerce.number().int().min(1).max(1_000_000).default(10_000);

/** smets1-adapter's settings: the delivery ones every adapter has, its DCO, S1 service providers and cache. */
export const smets1AdapterConfig = {
  ...deliveryConfig,
  ...operatorAccessConfig,
  ...deviceProvisioningConfig,
  /** Seed of the simulated SMETS1 meters' consumption model (the device edge). */
  FLEET_SEED: z.coerce.number().int().min(0).default(0),
  /** The CoS party's public key (SPKI PEM) the simulated meters trust for 6.23; unset: every 6.23 is refused. */
  COS_PARTY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /**
   * The DCO's countersigning key (PKCS#8 PEM, ECDSA P-256) and its public half (SPKI PEM) that the SMETS1
   * device path verifies. Set both or neither; neither: a key pair made for this process (warned).
   */
  DCO_KEY_FILE: z.string().min(1).optional(),
  DCO_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  /** A modelled DCO processing time per command, per cohort (ms), on top of the real checking and signing. */
  DCO_PROCESSING_MS_IOC: ms(0),
  DCO_PROCESSING_MS_MOC: ms(0),
  DCO_PROCESSING_MS_FOC: ms(0),
  /**
   * How long a cohort's DCO lane lease lives unrenewed (ms): one instance at a time runs each cohort's lane, and
   * a dead holder's lane is taken over by another instance within about this long (dco-lanes.ts). A DCO turn
   * (DCO_PROCESSING_MS_* included) must stay well inside a third of it.
   */
  DCO_LANE_LEASE_TTL_MS: z.coerce.number().int().min(300).max(600_000).default(10_000),
  /**
   * How long an instance waits for the holder of a cohort's DCO lane to answer a command it handed over before it
   * sends it again (a holder that died with the command is noticed by this timeout). Longer than the longest a
   * command may legitimately wait in a lane's queue, or a busy lane's commands are sent twice (the stale copy is
   * skipped, but the retry queues again at the back).
   */
  DCO_HANDOFF_ATTEMPT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Target Response Time of a SMETS1 command (ms), counted from when its S1 service provider begins to deliver
   * it (after the DCO): lost or late deliveries are retried within it, then answered E20/E21.
   */
  SMETS1_TRT_MS: ms(30_000),
  /** How long one S1 service provider delivery attempt waits for the device before it is retried. */
  S1SP_ATTEMPT_TIMEOUT_MS: ms(5_000),
  /** Seed of the S1 service providers' simulated loss and jitter draws. */
  S1SP_SEED: z.coerce.number().int().min(0).default(0),
  /**
   * Per cohort, its S1 service provider's delivery model: round-trip latency (base + uniform jitter, ms), loss
   * probability each way, commands carried at once.
   */
  S1SP_LATENCY_MS_IOC: ms(5),
  S1SP_LATENCY_MS_MOC: ms(5),
  S1SP_LATENCY_MS_FOC: ms(5),
  S1SP_JITTER_MS_IOC: ms(0),
  S1SP_JITTER_MS_MOC: ms(0),
  S1SP_JITTER_MS_FOC: ms(0),
  S1SP_LOSS_IOC: rate,
  S1SP_LOSS_MOC: rate,
  S1SP_LOSS_FOC: rate,
  S1SP_CONCURRENCY_IOC: budget,
  S1SP_CONCURRENCY_MOC: budget,
  S1SP_CONCURRENCY_FOC: budget,
  /** How long a half-hourly profile (4.8.1) is served from the cache after the meter answered it. */
  HH_CACHE_TTL_MS: z.coerce.number().int().min(1).default(86_400_000),
  /** Profiles the cache holds at most (least recently used go first). */
  HH_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(100_000),
};
