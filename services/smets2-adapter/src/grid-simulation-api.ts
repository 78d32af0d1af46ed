import { requestTyped, subjects, type DurablePublisher, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { authoriseOperator, mailGridEvent, type OperatorAccess } from '@dcc/meter-delivery';
import {
  GridMetersRequest,
  GridMetersResponse,
  SimulatedGridEvent,
  type GridSimulationServiceServer,
  type RaiseGridEventRequest,
} from '@dcc/proto';
import { MalformedMessage, toServiceError } from '@dcc/service-kit';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Meters' mail stored at once while a feeder's event is fanned out. */
const MAIL_CONCURRENCY = 64;

export interface GridSimulationParts {
  requester: Requester;
  publisher: DurablePublisher;
  access: OperatorAccess;
  /** P of `dcc.meter.s2.<partition>.<device>` (METER_PARTITIONS). */
  partitions: number;
  registrationTimeoutMs: number;
  clock?: () => number;
}

/**
 * `dcc.v1.GridSimulationService` (operators only): a simulated network event on a feeder or substation reaches
 * each SMETS2 meter registration says is connected there, through the meter's mail, so the meter raises its own
 * alerts (0x8F57 supply interrupted, 0x8F35/0x8F36 restored, voltage alerts by its configured thresholds) and
 * they travel like every device alert: ALERTS, then the alert router and grid-feeds. Answers once every
 * meter's event is stored in its mail (not once the meters have run it).
 */
export function gridSimulationApi(parts: GridSimulationParts): GridSimulationServiceServer {
  const clock = parts.clock ?? Date.now;
  return {
    raiseGridEvent: (call, callback) => {
      void (async () => {
        try {
          authoriseOperator(call, parts.access);
          const request: unknown = call.request;
          if (request instanceof MalformedMessage) throw request.error();
          callback(null, { meters: await raise(parts, call.request, clock()) });
        } catch (error) {
          callback(toServiceError(error));
        }
      })();
    },
  };
}

async function raise(
  parts: GridSimulationParts,
  request: RaiseGridEventRequest,
  atMs: number,
): Promise<number> {
  const voltage = request.event === SimulatedGridEvent.SIMULATED_GRID_EVENT_VOLTAGE;
  if (
    request.event !== SimulatedGridEvent.SIMULATED_GRID_EVENT_OUTAGE &&
    request.event !== SimulatedGridEvent.SIMULATED_GRID_EVENT_RESTORE &&
    !voltage
  ) {
    throw DccError.invalidArgument('event: OUTAGE, RESTORE or VOLTAGE');
  }
  if (voltage) {
    if (!(request.rmsVoltageV > 0 && request.rmsVoltageV < 1_000)) {
      throw DccError.invalidArgument('rms_voltage_v: a voltage between 0 and 1000 V');
    }
    if (!(request.durationMs >= 1_000 && request.durationMs <= DAY_MS)) {
      throw DccError.invalidArgument('duration_ms: 1 s to 1 day');
    }
  }
  // Registration validates the feeder or substation (INVALID_ARGUMENT, passed on).
  const { meters } = await requestTyped(
    parts.requester,
    subjects.registrationGridMeters,
    { codec: GridMetersRequest, message: { feeder: request.feeder, substation: request.substation } },
    GridMetersResponse,
    parts.registrationTimeoutMs,
  );
  const mine = meters.filter((m) => m.smetsGeneration === 'SMETS2');
  if (mine.length === 0 && meters.length === 0) {
    throw new DccError(GrpcStatus.NOT_FOUND, 'registration connects no smart meter there');
  }
  for (let i = 0; i < mine.length; i += MAIL_CONCURRENCY) {
    await Promise.all(
      mine.slice(i, i + MAIL_CONCURRENCY).map((m) =>
        mailGridEvent(parts.publisher, 's2', parts.partitions, {
          deviceId: m.deviceId,
          event: request.event,
          atMs,
          rmsVoltageV: voltage ? request.rmsVoltageV : 0,
          durationMs: voltage ? request.durationMs : 0,
        }),
      ),
    );
  }
  return mine.length;
}
