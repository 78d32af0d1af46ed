/** SRVs with device behaviour behind them today; every other SRV is refused as UNIMPLEMENTED. */
export const AVAILABLE_SRVS: ReadonlySet<string> = new Set(['4.1.1']);

/** Command variants the delivery path supports today: over the WAN only (no local delivery yet). */
export const AVAILABLE_VARIANTS: ReadonlySet<number> = new Set([1]);

/** Which service will answer each non-device SRV family once it exists (docs/srv-coverage.md). */
export const NON_DEVICE_OWNERS: Readonly<Record<string, string>> = {
  '5': 'scheduling',
  '8': 'registration',
  '11': 'smets2-adapter / smets1-adapter (firmware distribution)',
  '12': 'registration',
};
