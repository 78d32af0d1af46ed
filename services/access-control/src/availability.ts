/**
 * SRVs with device behaviour behind them today (libs/meter through the SMETS2 adapter): the non-critical ones the
 * device model supports, with command variants 1 to 3, and the critical ones the wire protocol carries, with
 * command variants 4 (transform: the pre-command) and 5 to 7 (the signed pre-command; critical-commands.ts).
 * Every other SRV is refused as UNIMPLEMENTED.
 */
export const AVAILABLE_SRVS: ReadonlySet<string> = new Set([
  '1.1.1',
  '1.5',
  '1.6',
  '2.1',
  '2.2',
  '2.3',
  '2.5',
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
  '6.4.1',
  '6.5',
  '6.11',
  '6.22',
  '6.23',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '8.1.1',
  '11.2',
  '11.3',
  // Non-device, command variant 8: routed to registration (ROUTED_NON_DEVICE_SRVS).
  '8.2',
  '8.3',
  '8.4',
  '12.2',
]);

/**
 * Non-device SRVs access control routes to the service that answers them (command variant 8, target the hub's
 * own id, HUB_ID), and the service that answers each; the answer is stored on the User's Responses stream.
 */
export const ROUTED_NON_DEVICE_SRVS: Readonly<Record<string, { owner: 'registration' }>> = {
  '8.2': { owner: 'registration' },
  '8.3': { owner: 'registration' },
  '8.4': { owner: 'registration' },
  '12.2': { owner: 'registration' },
};

/** The command variant of non-device SRVs answered by the hub. */
export const NON_DEVICE_VARIANT = 8;

/**
 * Command variants of non-critical device SRVs: 1 (over the WAN), 2 (returned for local delivery only) and 3 (over
 * the WAN and a local copy); local delivery is local-delivery.ts.
 */
export const AVAILABLE_VARIANTS: ReadonlySet<number> = new Set([1, 2, 3]);

/**
 * Command variants of critical SRVs: 4 (transform), 5 (signed pre-command, over the WAN), 6 (signed pre-command,
 * returned for local delivery only) and 7 (over the WAN and a local copy); critical-commands.ts.
 */
export const AVAILABLE_CRITICAL_VARIANTS: ReadonlySet<number> = new Set([4, 5, 6, 7]);

/** Which service will answer each non-device SRV family once it exists (docs/srv-coverage.md). */
export const NON_DEVICE_OWNERS: Readonly<Record<string, string>> = {
  '5': 'scheduling',
  '8': 'registration',
  '11': 'smets2-adapter / smets1-adapter (firmware distribution)',
  '12': 'registration',
};
