import { DccError, parseEui64, type Eui64 } from '@dcc/domain';
import { RegistrationCspRegion, type MeterCommand } from '@dcc/proto';

/** The SMETS2 Communications Service Provider regions (DCC-REFERENCE §2): each has its own delivery model. */
export const REGIONS = ['NORTH', 'CENTRAL', 'SOUTH'] as const;
export type Region = (typeof REGIONS)[number];

/** One value per region (settings, counters). */
export type PerRegion<T> = Record<Region, T>;

export function perRegion<T>(make: (region: Region) => T): PerRegion<T> {
  return { NORTH: make('NORTH'), CENTRAL: make('CENTRAL'), SOUTH: make('SOUTH') };
}

export function parseRegion(name: string): Region | undefined {
  return REGIONS.find((r) => r === name.trim().toUpperCase());
}

/**
 * How the hub reaches one SMETS2 device, from the Smart Metering Inventory's facts on the stored command: the
 * CSP region of its installation and the comms hub path, the CHF and, for a GSME, the GPF it is reached
 * through (`hops`: each must be available).
 */
export interface WanRoute {
  region: Region;
  hops: Eui64[];
}

/**
 * The route of a stored command. A device the inventory gives no CSP region has no communications path: E20,
 * final. A CHF is its own comms hub; a GPF is hosted on its CHF; a GSME is reached through its CHF and its GPF.
 * A hub the inventory does not record is no hop (the device is reached through the region alone): an estate
 * loaded without comms hubs still delivers.
 */
export function routeOf(command: MeterCommand, deviceId: Eui64): WanRoute {
  const region = regionOf(command.cspRegion);
  if (!region) throw noPath(deviceId, 'no CSP region');
  const chf = command.deviceType === 'CHF' ? deviceId : optionalId(command.commsHubId);
  const gpf = command.deviceType === 'GSME' ? optionalId(command.gpfId) : undefined;
  return { region, hops: [chf, gpf].filter((hop): hop is Eui64 => hop !== undefined) };
}

function regionOf(recorded: RegistrationCspRegion | undefined): Region | undefined {
  switch (recorded) {
    case RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH:
      return 'NORTH';
    case RegistrationCspRegion.REGISTRATION_CSP_REGION_CENTRAL:
      return 'CENTRAL';
    case RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH:
      return 'SOUTH';
    default:
      return undefined;
  }
}

function optionalId(id: string | undefined): Eui64 | undefined {
  return id ? parseEui64(id, 'comms hub id') : undefined;
}

function noPath(deviceId: Eui64, what: string): DccError {
  return DccError.duis(
    'E20',
    `the Smart Metering Inventory records ${what} for device ${deviceId}: no communications path`,
  );
}
