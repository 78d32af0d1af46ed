import { operatorAccessConfig } from '@dcc/service-kit';
import { z } from 'zod';

/** The reporting service's settings (docs/operations.md). */
export const reportingConfig = {
  ...operatorAccessConfig,
  /** Messages pulled from RESPONSES or ACCOUNTING and counted together (one KV compare-and-set per block). */
  REPORTING_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
};
