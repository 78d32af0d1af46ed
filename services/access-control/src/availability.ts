/**
 * SRVs with device behaviour behind them today (libs/meter through the SMETS2 adapter): the non-critical ones the
 * device model supports, with command variant 1. Every other SRV is refused as UNIMPLEMENTED; the critical ones
 * (transform and signature, CV 4 then 5/6/7) are a separate issue.
 */
export const AVAILABLE_SRVS: ReadonlySet<string> = new Set([
  '2.2',
  '3.1',
  '3.2',
  '4.1.1',
  '4.1.2',
  '4.2',
  '4.3',
  '4.6.1',
  '4.8.1',
  '4.8.3',
  '4.10',
  '4.17',
  '4.18',
  '6.5',
  '6.22',
  '6.23',
  '7.4',
  '11.2',
]);

/** Command variants the delivery path supports today: over the WAN only (no local delivery yet). */
export const AVAILABLE_VARIANTS: ReadonlySet<number> = new Set([1]);

/** Which service will answer each non-device SRV family once it exists (docs/srv-coverage.md). */
export const NON_DEVICE_OWNERS: Readonly<Record<string, string>> = {
  '5': 'scheduling',
  '8': 'registration',
  '11': 'smets2-adapter / smets1-adapter (firmware distribution)',
  '12': 'registration',
};
