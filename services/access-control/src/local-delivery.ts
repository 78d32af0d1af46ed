import {
  DccError,
  isLocalDelivery,
  SUPPLIER_ROLES,
  type SrvDefinition,
  type UserRoleCode,
} from '@dcc/domain';

/*
 * Local delivery (DCC-REFERENCE §1.3): the hub returns the command to the User, who delivers it to the device
 * itself (e.g. over a hand-held terminal), in Acknowledgement.local_command (an encoded LocalCommand,
 * pre_command.proto; built by PreCommands.localCommand in critical-commands.ts).
 * - CV 2 (non-critical) and CV 6 (signed pre-command): only the local copy, answered synchronously with I0;
 *   nothing is stored or sent over the WAN.
 * - CV 3 (non-critical) and CV 7 (signed pre-command): sent over the WAN as CV 1 / CV 5 are (I99, the device
 *   response follows) and the local copy is returned with the I99.
 * Which variants are local, and which SRVs offer them, is libs/domain's (command-variants.ts, the SRV table).
 */

/**
 * Roles that may receive commands for local delivery. DCC-REFERENCE §1.5 says only that E17 refuses local
 * delivery "for this role + device status"; which roles may is inferred: the supplier roles (IS, ES, GS), who
 * install and maintain the meters. Device status is not checked here (registration's E5 covers SMI status).
 */
export const LOCAL_DELIVERY_ROLES: readonly UserRoleCode[] = SUPPLIER_ROLES;

/** E17: a local-delivery command variant asked for by a role that may not receive local commands. */
export function checkLocalDelivery(srv: SrvDefinition, role: UserRoleCode, commandVariant: number): void {
  if (isLocalDelivery(commandVariant) && !LOCAL_DELIVERY_ROLES.includes(role)) {
    throw DccError.duis(
      'E17',
      `SRV ${srv.srv} with command variant ${commandVariant} is not available for local delivery to role ${role} (only ${LOCAL_DELIVERY_ROLES.join(', ')})`,
    );
  }
}
