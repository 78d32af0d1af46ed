import { z } from 'zod';

/** registration's own settings (on top of the service-kit base ones). */
export const registrationConfig = {
  /** Most meter points the in-memory view holds (columns are allocated up front; ~90 bytes per point with InventoryDetails, plus ~50 per other device). */
  REGISTRY_CAPACITY: z.coerce.number().int().min(1).max(40_000_000).default(1_000_000),
  /** How often due change-of-supplier workflows are checked. */
  COS_TICK_MS: z.coerce.number().int().min(10).default(60_000),
  /** The losing supplier's objection window, electricity. */
  COS_OBJECTION_WORKING_DAYS: z.coerce.number().int().min(0).max(60).default(5),
  /** An objection not resolved within this many working days unpicks the switch. */
  COS_RESOLVE_WORKING_DAYS: z.coerce.number().int().min(0).max(60).default(5),
  /** A confirmed gas switch takes effect this many days later. */
  GAS_SWITCH_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** Bank holidays skipped in working-day counts: comma-separated YYYY-MM-DD (UTC). */
  BANK_HOLIDAYS: z.string().default(''),
  /**
   * Operators allowed to call every dcc.v1.RegistrationService RPC: comma-separated User IDs (client certificate
   * CNs). Empty (the default) and REGISTRATION_PROVIDER_IDS empty: nobody may; the API always needs mutual TLS.
   */
  REGISTRATION_ADMIN_IDS: z.string().default(''),
  /** Registration data providers (client certificate CNs): feeds, switches, tenancies and reads (api-access.ts). */
  REGISTRATION_PROVIDER_IDS: z.string().default(''),
};
