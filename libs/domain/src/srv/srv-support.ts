import { DccError } from '../dcc-error.js';
import { firstViolation, type BodyFields } from './body-rules.js';
import { isLocalDelivery, NON_DEVICE_VARIANT } from './command-variants.js';
import type { CommandVariant, SrvDefinition } from './srv-definition.js';
import { SRV_TABLE, type NonDeviceOwner, type SrvTableEntry } from './srv-table.js';

/*
 * Everything the hub derives from the SRV table (srv-table.ts) together with the catalogue row.
 */

const ENTRIES: ReadonlyMap<string, SrvTableEntry> = new Map(Object.entries(SRV_TABLE));

/** The SRV's table entry, or undefined when the hub does not support it yet. */
export function srvEntry(srv: string): SrvTableEntry | undefined {
  return ENTRIES.get(srv);
}

/** The supported SRVs with their entries, in table order. */
export function supportedSrvs(): ReadonlyMap<string, SrvTableEntry> {
  return ENTRIES;
}

/**
 * The command variants the hub carries out for an SRV today: none when it is not in the table; 8 for a routed
 * non-device SRV; the catalogue's variants for a device SRV (1-3, or 4-7 when critical), less the local-delivery
 * ones (2, 3, 6, 7) when the entry does not offer local delivery.
 */
export function availableCommandVariants(definition: SrvDefinition): readonly CommandVariant[] {
  const entry = ENTRIES.get(definition.srv);
  if (!entry) return [];
  return definition.commandVariants.filter((cv) =>
    entry.answeredBy === 'device' ? entry.localDelivery || !isLocalDelivery(cv) : cv === NON_DEVICE_VARIANT,
  );
}

/** The hub service that answers a routed non-device SRV now, or undefined. */
export function routedOwnerOf(srv: string): NonDeviceOwner | undefined {
  const entry = ENTRIES.get(srv);
  return entry && entry.answeredBy !== 'device' ? entry.answeredBy : undefined;
}

/** The key of the device model's handler for a device SRV, or undefined. */
export function deviceHandlerOf(srv: string): string | undefined {
  return ENTRIES.get(srv)?.deviceHandler;
}

/** A request body as decoded from the wire: its oneof case and the parameters. */
export interface RequestBody {
  readonly $case: string;
  readonly value: unknown;
}

/**
 * Validates a request body before the hub stores anything: it must be the SRV's own case (another SRV's is
 * refused), present when the SRV needs parameters, and every value the hub can check without the device must
 * hold (the entry's rules). `absentAllowed`: the parameters come from elsewhere (a signed pre-command), so a
 * missing body is not an error. Every refusal is INVALID_ARGUMENT naming the SRV and the field: DCC-REFERENCE
 * §1.5 lists no DUIS response code for a bad parameter value.
 */
export function checkRequestBody(srv: string, body: RequestBody | undefined, absentAllowed = false): void {
  const entry = ENTRIES.get(srv);
  if (!entry) {
    if (body) throw DccError.invalidArgument(`SRV ${srv} takes no body, not ${body.$case}`);
    return;
  }
  if (!body) {
    if (entry.bodyRequired && !absentAllowed) {
      throw DccError.invalidArgument(`SRV ${srv} needs its parameters: body ${entry.request} is missing`);
    }
    return;
  }
  if (body.$case !== entry.request) {
    throw DccError.invalidArgument(
      `SRV ${srv} takes body ${entry.request}, not ${body.$case} (another SRV's parameters)`,
    );
  }
  const fields = (body.value ?? {}) as BodyFields;
  const violation = firstViolation(entry.rules, fields);
  if (violation) throw DccError.invalidArgument(`SRV ${srv}: ${violation}`);
}
