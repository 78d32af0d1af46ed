/** The national night the compressed one stands for: every meter's previous day collected in a 6-hour window. */
export const NATIONAL_METERS = 30_000_000;
export const NATIONAL_WINDOW_S = 6 * 3_600;
/** The rate a national night needs on average: 1,389 runs/s. */
export const NATIONAL_RATE = NATIONAL_METERS / NATIONAL_WINDOW_S;
/** A scheduled run's Target Response Time (DCC-REFERENCE: 24 hours for scheduled work). */
export const SCHEDULED_TRT_S = 24 * 3_600;

export interface NightSettings {
  /** Meters in the generated estate, each with one daily 4.8.1 schedule of its supplier. */
  meters: number;
  /** Share of the meters that also carry an Other User's (a meter data retriever's) schedule. */
  mdrShare: number;
  /** The compressed collection window, minutes of real time. */
  windowMin: number;
  /** Each CSP region's capacity in runs/s that the plan may use (SCHEDULING_LANE_RATE). */
  laneRate: number;
  /** 5.1 requests in flight while schedules are created. */
  createConcurrency: number;
}

/**
 * The compression: the window is shortened from 6 hours to `windowMin` minutes and, by default, the estate from 30
 * million meters by the same factor, so the hub must sustain the national night's rate (1,389 runs/s) for the
 * whole window, and the flatness, the completion and the cost per meter are those of the real night at a smaller
 * size. NIGHT_METERS sets another estate (a larger one asks more than the national rate of the hub).
 */
export function nightSettings(env: NodeJS.ProcessEnv = process.env): NightSettings {
  const windowMin = positive(env.NIGHT_WINDOW_MIN ?? '2', 'NIGHT_WINDOW_MIN');
  if (!Number.isInteger(windowMin) || windowMin > 59)
    throw new Error('NIGHT_WINDOW_MIN is whole minutes, 1 to 59');
  const meters = Math.round(
    positive(env.NIGHT_METERS ?? String(NATIONAL_RATE * windowMin * 60), 'NIGHT_METERS'),
  );
  return {
    meters,
    windowMin,
    mdrShare: Math.min(1, positive(env.NIGHT_MDR_SHARE ?? '0.1', 'NIGHT_MDR_SHARE')),
    laneRate: positive(env.NIGHT_LANE_RATE ?? '1000', 'NIGHT_LANE_RATE'),
    createConcurrency: Math.round(
      positive(env.NIGHT_CREATE_CONCURRENCY ?? '128', 'NIGHT_CREATE_CONCURRENCY'),
    ),
  };
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} "${value}" is not a positive number`);
  return n;
}
