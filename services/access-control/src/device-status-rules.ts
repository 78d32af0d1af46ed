import type { SrvDefinition } from '@dcc/domain';
import { SmiDeviceStatus } from '@dcc/proto';

/**
 * E5: may an SRV be sent to a device in this Smart Metering Inventory status? A small rule table, **inferred**
 * from DCC-REFERENCE §2.4 (SMI statuses, their triggers and the install sequence 8.1.1, 6.20, 6.21); DUIS's
 * own status × SRV matrix is not in the reference, so this is the hub's reading, not a transcription:
 *
 * | SMI status | SRVs allowed |
 * |---|---|
 * | Commissioned, Recovered | every device SRV |
 * | InstalledNotCommissioned, Whitelisted | commissioning and joining only: 8.1.1, 8.7.1, 8.7.2, 8.11, 6.20.1, 6.20.2, 6.21, 11.2 |
 * | Recovery | security credentials only: 6.15.1, 6.15.2, 6.17, 6.24.1, 6.24.2 |
 * | Pending, Decommissioned, Withdrawn, Suspended | none (E5) |
 * | NotApplicable (Type 2 devices: no SMI status) | every device SRV |
 *
 * Non-device SRVs target the hub, not a device, and are never status-checked. An unspecified or unknown status
 * is refused (E5): the inventory must say what the device is before the hub commands it.
 */
export const COMMISSIONING_SRVS: ReadonlySet<string> = new Set([
  '8.1.1',
  '8.7.1',
  '8.7.2',
  '8.11',
  '6.20.1',
  '6.20.2',
  '6.21',
  '11.2',
]);

export const RECOVERY_SRVS: ReadonlySet<string> = new Set(['6.15.1', '6.15.2', '6.17', '6.24.1', '6.24.2']);

type Rule = 'all' | 'none' | ReadonlySet<string>;

const RULES: Readonly<Record<SmiDeviceStatus, Rule>> = {
  [SmiDeviceStatus.SMI_DEVICE_STATUS_UNSPECIFIED]: 'none',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_PENDING]: 'none',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_WHITELISTED]: COMMISSIONING_SRVS,
  [SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED]: COMMISSIONING_SRVS,
  [SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED]: 'all',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_DECOMMISSIONED]: 'none',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_WITHDRAWN]: 'none',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_SUSPENDED]: 'none',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_RECOVERY]: RECOVERY_SRVS,
  [SmiDeviceStatus.SMI_DEVICE_STATUS_RECOVERED]: 'all',
  [SmiDeviceStatus.SMI_DEVICE_STATUS_NOT_APPLICABLE]: 'all',
  [SmiDeviceStatus.UNRECOGNIZED]: 'none',
};

/** DUIS spelling of an SMI status, for messages. */
export function smiStatusName(status: SmiDeviceStatus): string {
  const names: Partial<Record<SmiDeviceStatus, string>> = {
    [SmiDeviceStatus.SMI_DEVICE_STATUS_PENDING]: 'Pending',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_WHITELISTED]: 'Whitelisted',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED]: 'InstalledNotCommissioned',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED]: 'Commissioned',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_DECOMMISSIONED]: 'Decommissioned',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_WITHDRAWN]: 'Withdrawn',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_SUSPENDED]: 'Suspended',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_RECOVERY]: 'Recovery',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_RECOVERED]: 'Recovered',
    [SmiDeviceStatus.SMI_DEVICE_STATUS_NOT_APPLICABLE]: 'NotApplicable',
  };
  return names[status] ?? `unspecified (${status})`;
}

/** True when the SMI status allows the SRV (or the SRV is non-device); false means E5. */
export function statusAllows(
  status: SmiDeviceStatus,
  srv: Pick<SrvDefinition, 'srv' | 'nonDevice'>,
): boolean {
  if (srv.nonDevice) return true;
  const rule = RULES[status] ?? 'none';
  if (rule === 'all') return true;
  if (rule === 'none') return false;
  return rule.has(srv.srv);
}
