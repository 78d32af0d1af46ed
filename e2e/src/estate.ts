import { eui64FromBigInt, eui64ToBigInt, parseEui64 } from '@dcc/domain';
import {
  demonstrationEstate,
  ESTATE_ID_BASES,
  estateFeedLines,
  estatePremises,
  NON_USER_PARTIES,
  type EstateFeedOptions,
} from '@dcc/registry';
import {
  RegistrationCspRegion,
  RegistrationServiceClient,
  type FeedReport,
  type LoadFeedResponse,
  type MeterCommand,
} from '@dcc/proto';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { OPERATOR, registrationTls } from './registration-tls.js';

/** The development Users (DCC Boxed numbering) and parties that are not hub Users. */
export const ESTATE_PARTIES = {
  supplier: '90-B3-D5-1F-30-01-00-00',
  networkOperator: '90-B3-D5-1F-30-02-00-00',
  otherSuppliers: NON_USER_PARTIES.suppliers,
} as const;

/**
 * A test estate's feed lines: `uniform` (the default here) registers meters 00-DB-12-00-00-00-00-00 upwards
 * to the development supplier and network operator (or `parties`, in turn); `mixed` is the demonstration estate of `npm start` (both
 * fuels, SMETS1 and SMETS2, every device type), with the supplier and network operator of some points parties
 * that are not hub Users (`parties.distributors` replaces its distributors).
 */
export function estateLines(
  points: number,
  mix: EstateFeedOptions['mix'] = 'uniform',
  parties: { suppliers?: string[]; distributors?: string[] } = {},
): string[] {
  const p = ESTATE_PARTIES;
  const options: EstateFeedOptions =
    mix === 'uniform'
      ? {
          points,
          mix,
          suppliers: parties.suppliers ?? [p.supplier],
          distributors: parties.distributors ?? [p.networkOperator],
          transporters: [p.networkOperator],
        }
      : {
          ...demonstrationEstate(points, p),
          // A test may give every point the same distributor (e.g. the development network operator).
          ...(parties.distributors ? { distributors: parties.distributors } : {}),
        };
  return [...estateFeedLines(options)];
}

/**
 * Loads feed lines through the registration service's gRPC API (LoadFeed) and resolves with its report; rejects
 * when a line is rejected or the call fails, so a test never runs on a half-loaded estate.
 */
export async function loadEstateFeed(
  address: string,
  lines: readonly string[],
  channel?: ChannelCredentials,
): Promise<FeedReport> {
  // The registration API answers operators over mutual TLS: the test PKI's operator by default.
  const client = new RegistrationServiceClient(
    address,
    channel ?? (await registrationTls()).credentials(OPERATOR),
  );
  try {
    const report = await new Promise<FeedReport>((resolve, reject) => {
      const stream = client.loadFeed();
      let last: FeedReport | undefined;
      stream.on('data', (response: LoadFeedResponse) => {
        if (response.result?.$case === 'report') last = response.result.value;
      });
      stream.on('error', (error: Error) => reject(error));
      stream.on('end', () => (last ? resolve(last) : reject(new Error('LoadFeed ended without a report'))));
      lines.forEach((line, n) =>
        stream.write({ options: n === 0 ? { feedId: 'estate', relaxCheckDigits: false } : undefined, line }),
      );
      stream.end();
    });
    if (report.rejected > 0) {
      throw new Error(
        `estate feed: ${report.rejected} lines rejected, first: ${JSON.stringify(report.rejections[0])}`,
      );
    }
    return report;
  } finally {
    client.close();
  }
}

const UNIFORM_REGIONS = [
  RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_CENTRAL,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH,
];

/**
 * The inventory's delivery facts of a `uniform` estate's meter, as access control puts them on the meter
 * command (for tests that store a command on METER_MAIL themselves): its CSP region (North, Central, South in
 * turn) and its comms hub.
 */
export function uniformMeterRoute(
  deviceId: string,
): Pick<MeterCommand, 'deviceType' | 'cspRegion' | 'commsHubId'> {
  const n = eui64ToBigInt(parseEui64(deviceId)) - ESTATE_ID_BASES.esme;
  return {
    deviceType: 'ESME',
    cspRegion: UNIFORM_REGIONS[Number(n % 3n)]!,
    commsHubId: eui64FromBigInt(ESTATE_ID_BASES.chf + n),
  };
}

/** The SMETS1 operating-capability cohorts, in the order the `mixed` estate gives them to premises (n % 3). */
export const SMETS1_COHORTS = ['IOC', 'MOC', 'FOC'] as const;

/**
 * The SMETS1 ESMEs of a `mixed` estate's commissioned premises (`premises` of them) in one cohort: the
 * development supplier's (premises n % 5 in 0, 2, 4), or with `suppliedByUs` false the other suppliers'.
 */
export function mixedSmets1Esmes(
  premises: number,
  cohort: (typeof SMETS1_COHORTS)[number],
  suppliedByUs = true,
): string[] {
  const found: string[] = [];
  for (let n = 0; n < premises; n++) {
    const p = estatePremises(n, premises);
    const ours = n % 5 === 0 || n % 5 === 2 || n % 5 === 4;
    if (
      p.smets1 &&
      p.status === 'Commissioned' &&
      ours === suppliedByUs &&
      SMETS1_COHORTS[n % 3] === cohort
    ) {
      found.push(p.esme);
    }
  }
  return found;
}
