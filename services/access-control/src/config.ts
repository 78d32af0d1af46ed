import { consumers } from '@dcc/bus';
import { z } from 'zod';
import { anomalyThresholdsSetting } from './anomaly-detector.js';
import { DEFAULT_MARK_WINDOW_MS } from './counter-guard.js';

/** access-control's own settings (on top of the service-kit base ones). */
export const accessControlConfig = {
  /** Originator–target pairs whose highest RequestID counter is remembered (replay check before the meter's). */
  COUNTER_CACHE_SIZE: z.coerce.number().int().min(1).max(50_000_000).default(200_000),
  /**
   * Minutes a pair's durable high-water mark (KV bucket REQUEST_COUNTERS) is kept after its last request. After
   * that a request to the pair must exceed the originator's highest counter accepted before the window (KV bucket
   * REQUEST_COUNTER_FLOORS), so requests of one User may arrive out of counter order by up to the window less a
   * fifteenth of it. nats-server holds per-key state for every pair addressed within the window.
   */
  COUNTER_MARK_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(10_080)
    .default(DEFAULT_MARK_WINDOW_MS / 60_000),
  /** Operators allowed to call dcc.v1.UserAdminService: comma-separated User IDs (client certificate CNs). */
  ADMIN_IDS: z.string().default(''),
  /** Development only: serve the admin API on a plaintext server, where nobody is authenticated. */
  ADMIN_API_PLAINTEXT: z.enum(['true', 'false']).default('false'),
  /**
   * Users admitted to the hub, as JSON: [{"id":"90-B3-D5-1F-30-01-00-00","roles":["IS","GS"]}]. Defaults to the
   * DCC Boxed style development Users (see user-directory.ts). A User that sends critical commands also has
   * `"signingKeys": [{"keyId": "1", "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n…"}]` (ECDSA P-256, SPKI PEM).
   */
  USERS: z.string().optional(),
  /**
   * Key of the HMAC-SHA256 that marks a pre-command as issued by this hub (hex, at least 32 bytes). Every
   * access-control instance of one hub needs the same key; unset, each process draws a random one (pre-commands
   * then do not survive a restart: the User transforms again).
   */
  PRE_COMMAND_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{2}){32,}$/, 'hex, at least 32 bytes')
    .optional(),
  /**
   * The Change of Supplier party's private key (PKCS#8 PEM file, ECDSA P-256): access control signs each 6.23
   * credential swap with it (cos-party.ts); meters trust its public key. Unset: every 6.23 is refused
   * (FAILED_PRECONDITION). All instances of one hub need the same key.
   */
  COS_PARTY_KEY_FILE: z.string().min(1).optional(),
  /** How long a pre-command may be signed and submitted (CV 5) after it was issued (CV 4). */
  PRE_COMMAND_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  /**
   * How long to wait for the registration service's answer about a device request (E19, E11, E4, E5 and the
   * delivery path, registration-check.ts) and for routed non-device SRVs (8.2, 8.3, 8.4, 12.2); no answer in
   * time refuses the request as UNAVAILABLE, nothing stored.
   */
  REGISTRATION_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** The hub's own EUI-64: the RequestID target of non-device SRVs (command variant 8, e.g. 8.2 Read Inventory). */
  HUB_ID: z.string().default('90-B3-D5-1F-30-00-00-02'),
  /** Meter partitions; must match the adapters' (it is part of every meter mail subject). */
  METER_PARTITIONS: z.coerce.number().int().min(1).max(65_536).default(256),
  /**
   * How often confirmed responses are removed from RESPONSES (confirmed-responses.ts): those a User confirmed and
   * every other reader of its subject (reporting, prepayment) acknowledged.
   */
  CONFIRMED_RESPONSES_PRUNE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /**
   * Durable consumers on RESPONSES that must have read a response before it is removed, comma-separated; while
   * one does not exist yet nothing is removed. Default: the reporting tally's. `none`: the Users' confirmations
   * (and any other reader present) alone decide, for a hub run without reporting.
   */
  CONFIRMED_RESPONSES_READERS: z.string().default(consumers.reportingResponses),
  /** Requests a single SubmitStream call may have waiting for their acknowledgement. */
  STREAM_WINDOW: z.coerce.number().int().min(1).max(100_000).default(2_000),
  /**
   * Anomaly Detection Thresholds as JSON (anomaly-detector.ts, docs/operations.md), e.g.
   * {"perUser":{"*":1000,"7.2":{"limit":50,"windowSeconds":3600}},"systemWide":{"7.2":500}}; unset: the defaults.
   */
  ANOMALY_THRESHOLDS: anomalyThresholdsSetting,
  /**
   * Where the anomaly thresholds' counts live: `local` (the default), in this process's memory, right only with a
   * single instance (each instance would count its own share of a User's requests) and reset by a restart;
   * `shared`, in JetStream KV, one window per key for every access-control instance, so a threshold trips at the
   * same count however a User's requests are spread over the instances (a KV write per key and round trip). Set
   * `shared` whenever more than one instance runs (the Helm chart does).
   */
  ANOMALY_COUNTERS: z.enum(['shared', 'local']).default('local'),
};
