import type { DeviceType } from '../device-type.js';
import type { UserRoleCode } from '../user-role.js';

/** How a request of this SRV may be future-dated (DCC-REFERENCE §1.2, "FD pattern"). */
export type FutureDatedPattern = 'DSP' | 'Device' | 'DSP+Device' | null;

/** DUIS Command Variants 1..8 (DCC-REFERENCE §1.3). */
export type CommandVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** One Service Reference Variant of the DUIS catalogue. */
export interface SrvDefinition {
  /** e.g. "4.1.1" */
  readonly srv: string;
  /** e.g. "Read Instantaneous Import Registers" */
  readonly name: string;
  /** User Roles eligible to send it. Empty for SRVs no User Role may send (7.16, 8.5, 8.6). */
  readonly roles: readonly UserRoleCode[];
  /** Must be transformed (CV4) and signed (CV5/6/7) before it reaches a device. */
  readonly critical: boolean;
  readonly onDemand: boolean;
  readonly futureDated: FutureDatedPattern;
  /** Can be the subject of a DCC schedule (SRV 5.1). */
  readonly dccSchedulable: boolean;
  /** Answered by the hub itself (CV8), not by a device. */
  readonly nonDevice: boolean;
  /** Command variants the hub accepts for it. */
  readonly commandVariants: readonly CommandVariant[];
  /** Device types it can target; empty for non-device SRVs, which target the hub's own EUI-64. */
  readonly deviceTypes: readonly DeviceType[];
  /** DUIS XML body element name. */
  readonly bodyElement: string;
}
