import type { ChannelCredentials } from '@grpc/grpc-js';
import { HUB_ID, meterId, USERS, type WireRequest } from '../../model/index.ts';
import { UserChannel } from '../../runner/hub-calls.ts';

/** A run of every schedule falls due at 00:30 UTC; the window opens at 01:00, so the night starts all due at once. */
export const RUN_DUE_S = 30 * 60;

/** Who holds the night's schedules: the supplier every meter, an Other User in its meter data retriever role a share. */
const HOLDERS = [
  { user: USERS.supplier, role: 'USER_ROLE_IMPORT_SUPPLIER', purpose: 'MHHS' },
  { user: USERS.otherUser, role: 'USER_ROLE_METER_DATA_RETRIEVER', purpose: 'MDR' },
] as const;

export interface CreatedSchedules {
  created: number;
  /** 5.1 answered ALREADY_EXISTS (a counter overtaken by a later one) and sent again with a fresh counter. */
  resent: number;
  seconds: number;
}

/**
 * Creates the night's schedules as their Users do, over access control's gRPC API (5.1, command variant 8 to the
 * hub, mutual TLS): a daily 4.8.1 of the previous day's half hours from `firstDayMs`, purpose MHHS for the
 * supplier's, MDR for the Other User's. Refusals other than an overtaken counter fail the run.
 */
export async function createNightSchedules(
  address: string,
  credentialsOf: (user: string) => ChannelCredentials,
  meters: number,
  mdrMeters: number,
  firstDayMs: number,
  concurrency: number,
): Promise<CreatedSchedules> {
  const channels = HOLDERS.map((h) => new UserChannel(address, credentialsOf(h.user)));
  const counters = [0, 0];
  const work: [holder: number, meter: number][] = [];
  for (let i = 0; i < meters; i++) {
    work.push([0, i]);
    if (i < mdrMeters) work.push([1, i]);
  }
  let next = 0;
  let created = 0;
  let resent = 0;
  const started = performance.now();
  const create = async (holder: number, meter: number): Promise<void> => {
    const { user, role, purpose } = HOLDERS[holder]!;
    for (;;) {
      const request: WireRequest = {
        requestId: `${user}:${HUB_ID}:${++counters[holder]!}`,
        commandVariant: 8,
        serviceReferenceVariant: '5.1',
        userRole: role,
        createSchedule: {
          scheduledServiceReferenceVariant: '4.8.1',
          deviceId: meterId(meter),
          frequency: 'SCHEDULE_FREQUENCY_DAILY',
          startDateMs: String(firstDayMs),
          executionTimeS: RUN_DUE_S,
          startDateOffset: -1,
          startTimeS: 0,
          endDateOffset: 0,
          endTimeS: 0,
          purpose,
        },
      };
      const outcome = await channels[holder]!.submit(request);
      if (outcome.ok && outcome.ack.responseCode === 'I99') return void created++;
      if (!outcome.ok && outcome.code === 6 /* ALREADY_EXISTS */) {
        resent++;
        continue;
      }
      const why = outcome.ok ? `${outcome.ack.responseCode} ${outcome.ack.detail}` : outcome.message;
      throw new Error(`5.1 for ${meterId(meter)} by ${user} refused: ${why}`);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < work.length) {
          const [holder, meter] = work[next++]!;
          await create(holder, meter);
        }
      }),
    );
  } finally {
    for (const channel of channels) channel.close();
  }
  return { created, resent, seconds: (performance.now() - started) / 1000 };
}
