import type { ScenarioName } from './traffic-day.ts';

/** The development Users (DCC Boxed numbering) that hold the load estate's meters (see loadtest/README.md). */
export const USERS = {
  /** Import and gas supplier of every meter of the load estate. */
  supplier: '90-B3-D5-1F-30-01-00-00',
  /** Electricity distributor of every meter of the load estate. */
  networkOperator: '90-B3-D5-1F-30-02-00-00',
  /** Other User: may create schedules, needs no appointment. */
  otherUser: '90-B3-D5-1F-30-03-00-00',
} as const;
export type LoadUser = (typeof USERS)[keyof typeof USERS];

/** The hub's own EUI-64: the target of non-device SRVs (access control's HUB_ID default). */
export const HUB_ID = '90-B3-D5-1F-30-00-00-02';

export interface Scenario {
  name: ScenarioName;
  /** Small number carried inside every RequestID counter, so a response names its scenario (requests.ts). */
  index: number;
  srv: string;
  title: string;
  user: LoadUser;
  /** protojson name of dcc.v1.UserRole. */
  role: string;
  /** Critical: command variant 4 (transform), the User signs the pre-command, then command variant 5. */
  critical: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'nightly-collection',
    index: 1,
    srv: '4.8.1',
    title: "nightly collection: yesterday's half hours, every meter",
    user: USERS.supplier,
    role: 'USER_ROLE_IMPORT_SUPPLIER',
    critical: false,
  },
  {
    name: 'on-demand-reads',
    index: 2,
    srv: '4.1.1',
    title: 'on-demand register reads',
    user: USERS.supplier,
    role: 'USER_ROLE_IMPORT_SUPPLIER',
    critical: false,
  },
  {
    name: 'on-demand-profile',
    index: 3,
    srv: '4.8.1',
    title: 'on-demand half-hourly profile reads by the network operator',
    user: USERS.networkOperator,
    role: 'USER_ROLE_ELECTRICITY_DISTRIBUTOR',
    critical: false,
  },
  {
    name: 'top-ups',
    index: 4,
    srv: '2.2',
    title: 'prepayment top-ups (UTRN)',
    user: USERS.supplier,
    role: 'USER_ROLE_IMPORT_SUPPLIER',
    critical: false,
  },
  {
    name: 'critical-commands',
    index: 5,
    srv: '1.1.1',
    title: 'critical commands: tariff update, transform, sign, submit',
    user: USERS.supplier,
    role: 'USER_ROLE_IMPORT_SUPPLIER',
    critical: true,
  },
  {
    name: 'schedules',
    index: 6,
    srv: '5.1',
    title: 'schedule creation (daily 4.8.1 for settlement)',
    user: USERS.supplier,
    role: 'USER_ROLE_IMPORT_SUPPLIER',
    critical: false,
  },
];

export function scenario(name: ScenarioName): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) throw new RangeError(`no scenario ${name}`);
  return found;
}

export function scenarioByIndex(index: number): Scenario | undefined {
  return SCENARIOS.find((s) => s.index === index);
}
