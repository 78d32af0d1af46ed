import { RegistrationCspRegion, RegistrationMeterKind, RegistrationSmets1Cohort } from '@dcc/proto';

/**
 * The capacity lanes the collection plan paces: a SMETS2 device's CSP region (`s2-NORTH`, …), a SMETS1 meter
 * point's cohort (`s1-IOC`, …), and `unrouted` for a device registration does not place (its run is refused by
 * access control anyway, so it is released at once).
 */
export type PlanLane = string;

export const UNROUTED: PlanLane = 'unrouted';

const REGION_LANES: Partial<Record<RegistrationCspRegion, PlanLane>> = {
  [RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH]: 's2-NORTH',
  [RegistrationCspRegion.REGISTRATION_CSP_REGION_CENTRAL]: 's2-CENTRAL',
  [RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH]: 's2-SOUTH',
};
const COHORT_LANES: Partial<Record<RegistrationSmets1Cohort, PlanLane>> = {
  [RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_IOC]: 's1-IOC',
  [RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_MOC]: 's1-MOC',
  [RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_FOC]: 's1-FOC',
};

/** The lane of a device from the inventory's facts (registration's answer). */
export function laneOf(facts: {
  generation: RegistrationMeterKind;
  cspRegion: RegistrationCspRegion;
  smets1Cohort: RegistrationSmets1Cohort;
}): PlanLane {
  switch (facts.generation) {
    case RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2:
      return REGION_LANES[facts.cspRegion] ?? UNROUTED;
    case RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS1:
      return COHORT_LANES[facts.smets1Cohort] ?? UNROUTED;
    default:
      return UNROUTED;
  }
}

/** The lanes a rate can be set for. */
const LANES: readonly string[] = [REGION_LANES, COHORT_LANES].flatMap((lanes) =>
  Object.values(lanes).filter((lane): lane is string => lane !== undefined),
);

/** Runs per second each lane may be released at: `SCHEDULING_LANE_RATES` over the default rate. */
export interface LaneRates {
  rateOf(lane: PlanLane): number;
}

/** Parses `s2-NORTH:40,s1-IOC:5` (runs per second); lanes not named take `defaultRate`. */
export function parseLaneRates(text: string, defaultRate: number): LaneRates {
  const rates = new Map<PlanLane, number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const [lane, rate] = part.split(':');
    const value = Number(rate);
    if (lane === undefined || !LANES.includes(lane) || !(value > 0))
      throw new Error(
        `SCHEDULING_LANE_RATES: "${part}" is not <lane>:<runs per second> (lanes s2-NORTH, s2-CENTRAL, s2-SOUTH, s1-IOC, s1-MOC, s1-FOC)`,
      );
    rates.set(lane, value);
  }
  return { rateOf: (lane) => rates.get(lane) ?? defaultRate };
}
