import { decode, streams, subjects } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { AlertOccasion, DeviceAlertRaised } from '@dcc/proto';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { CREDIT_ADDED_LOCALLY_ALERT } from './meter-outcome.js';

const WAIT_MS = 2_000;

/**
 * Whether the device credited a UTRN keyed in at its keypad (0x810E, occasion KEYPAD) since `sinceMs`, read
 * from the device's alerts on ALERTS with a short-lived ordered consumer. Race-free for a 2.2 answered
 * UTRN_DUPLICATE: the device's actor stores a keypad entry's alerts before its state, and runs the entry and
 * the 2.2 one after the other, so the 0x810E is on ALERTS before the duplicate's answer exists. The alert does
 * not name the UTRN: any keypad credit since this UTRN was issued counts (what a supplier would infer too).
 */
export async function keypadCreditSince(
  nc: NatsConnection,
  deviceId: Eui64,
  sinceMs: number,
): Promise<boolean> {
  const consumer = await jetstream(nc).consumers.get(streams.alerts.name, {
    filter_subjects: [subjects.deviceAlert(deviceId)],
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(sinceMs).toISOString(),
  });
  try {
    for (;;) {
      const msg = await consumer.next({ expires: WAIT_MS });
      if (!msg) return false;
      const raised = decode(DeviceAlertRaised, msg.data, 'device alert');
      if (
        raised.occasion === AlertOccasion.ALERT_OCCASION_KEYPAD &&
        raised.alert?.code === CREDIT_ADDED_LOCALLY_ALERT &&
        raised.raisedAtMs >= sinceMs
      ) {
        return true;
      }
      if (msg.info.pending === 0) return false;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
