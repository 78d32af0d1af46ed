import { ActorHost } from '@dcc/actors';
import { DccError, GrpcStatus, parseEui64, parseRequestId, responseIdFor } from '@dcc/domain';
import { MeterDevice, type SimulatedFleet } from '@dcc/meter';
import type { MeterCommand, ServiceResponse } from '@dcc/proto';
import { context } from '@opentelemetry/api';
import { inSpan, SpanKind } from '@dcc/bus';

/** The SMETS2 meter actors of this adapter: one MeterDevice per active meter, one command at a time each. */
export function createMeterActors(fleet: SimulatedFleet, idleMs: number, clock: () => number = Date.now) {
  return new ActorHost<MeterDevice, MeterCommand, ServiceResponse>(
    {
      activate: (id) => {
        const deviceId = parseEui64(id);
        if (!fleet.find(deviceId)) throw DccError.duis('E20', `no communications path to device ${id}`);
        return new MeterDevice(deviceId, fleet.seed, clock);
      },
      receive: (meter, command) =>
        inSpan(
          'meter execute',
          SpanKind.INTERNAL,
          context.active(),
          { 'dcc.device_id': meter.deviceId },
          () => execute(meter, command, clock),
        ),
    },
    { idleMs, mailboxCapacity: 1_000 },
  );
}

function execute(meter: MeterDevice, command: MeterCommand, clock: () => number): ServiceResponse {
  const request = command.request!;
  const reading = meter.execute(request.serviceReferenceVariant);
  return {
    requestId: request.requestId,
    responseId: responseIdFor(parseRequestId(request.requestId)),
    responseCode: 'I0',
    serviceReferenceVariant: request.serviceReferenceVariant,
    responseDateTimeMs: clock(),
    detail: '',
    statusCode: GrpcStatus.OK,
    body: { $case: 'importRegisters', value: reading },
  };
}
