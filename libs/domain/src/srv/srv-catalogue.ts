import { DccError } from '../dcc-error.js';
import type { UserRoleCode } from '../user-role.js';
import { SRV_CATALOGUE_DATA } from './srv-catalogue-data.js';
import type { SrvDefinition } from './srv-definition.js';

const BY_SRV: ReadonlyMap<string, SrvDefinition> = new Map(SRV_CATALOGUE_DATA.map((d) => [d.srv, d]));

export function allSrvs(): readonly SrvDefinition[] {
  return SRV_CATALOGUE_DATA;
}

export function findSrv(srv: string): SrvDefinition | undefined {
  return BY_SRV.get(srv);
}

/** The definition of an SRV, or INVALID_ARGUMENT naming the unknown SRV. */
export function requireSrv(srv: string): SrvDefinition {
  const definition = BY_SRV.get(srv);
  if (!definition) {
    throw DccError.invalidArgument(
      srv.length === 0
        ? 'Service Reference Variant is missing'
        : `unknown Service Reference Variant "${srv.slice(0, 32)}"`,
    );
  }
  return definition;
}

export function isRoleEligible(definition: SrvDefinition, role: UserRoleCode): boolean {
  return definition.roles.includes(role);
}
