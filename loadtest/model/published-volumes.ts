/**
 * Published volumes the traffic model starts from (DCC-REFERENCE §10 and §9; sources keyed there). Each figure is
 * as published; everything derived from them lives in traffic-day.ts.
 */

/** Aug 2024: ~2.2 billion messages a month (industrialnews, ELN-2024-08). */
export const MESSAGES_PER_MONTH_2024 = 2_200_000_000;
/** Aug 2024: ~32 million SMETS1 + SMETS2 meters (industrialnews). */
export const METERS_2024 = 32_000_000;
/** Oct 2019: ~60 % of messages are reads (DCC-msgs). */
export const READ_SHARE = 0.6;
/** Jul 2022: 1.6 billion device alerts in the month (DCC-CTO) ... */
export const DEVICE_ALERTS_PER_MONTH_2022 = 1_600_000_000;
/** ... and 86 million DCC alerts (DCC-CTO) ... */
export const DCC_ALERTS_PER_MONTH_2022 = 86_000_000;
/** ... for >21 million meters (DCC-CTO). */
export const METERS_2022 = 21_000_000;
/** §9: meters batch data: most traffic is daily bursts of readings, often 24 h+ of half-hourly data a message. */
export const HALF_HOURS_PER_DAY = 48;
/** A month of the published figures, in days (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;
