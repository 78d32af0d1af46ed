import { ActorHost } from '@dcc/actors';
import { inSpan, SpanKind } from '@dcc/bus';
import { DccError, parseEui64 } from '@dcc/domain';
import { MeterDevice, type SimulatedFleet } from '@dcc/meter';
import type { MeterCommand, ServiceResponse } from '@dcc/proto';
import { context } from '@opentelemetry/api';
import { SupplierKeys, verifyCriticalCommand } from './critical-verification.js';
import { deviceCallOf } from './srv-params.js';
import { responseOf } from './srv-results.js';

/**
 * Where passivated meters keep their state between activations.
 *
 * Only for the in-process `createMeterActors` host (unit tests of the meter commands): the service runs its
 * meters on the actor runtime (meter-runtime.ts, state in JetStream KV + LMDB) and shares `execute` with it.
 * InMemoryMeterStates keeps state across passivation, not a restart; a meter never changed has no entry (it is
 * derived from its id and the fleet seed).
 */
export interface MeterStateStore {
  get(deviceId: string): Uint8Array | undefined;
  set(deviceId: string, bytes: Uint8Array): void;
}

/** INTERIM in-memory store (see MeterStateStore): ~100 bytes per meter that has changed. */
export class InMemoryMeterStates implements MeterStateStore {
  private readonly states = new Map<string, Uint8Array>();
  get(deviceId: string): Uint8Array | undefined {
    return this.states.get(deviceId);
  }
  set(deviceId: string, bytes: Uint8Array): void {
    this.states.set(deviceId, bytes);
  }
  get size(): number {
    return this.states.size;
  }
}

/** An active meter: the device model, whether its state differs from the stored one, its latest answers. */
export interface MeterActor {
  meter: MeterDevice;
  dirty: boolean;
  /** The last few responses by stored command: one redelivered before it was acknowledged gets the same one. */
  recent: Map<string, ServiceResponse>;
}

const RECENT_RESPONSES = 8;

/** The SMETS2 meter actors of this adapter: one MeterDevice per active meter, one command at a time each. */
export function createMeterActors(
  fleet: SimulatedFleet,
  idleMs: number,
  clock: () => number = Date.now,
  store: MeterStateStore = new InMemoryMeterStates(),
  supplierKeys: SupplierKeys = new SupplierKeys(),
) {
  return new ActorHost<MeterActor, MeterCommand, ServiceResponse>(
    {
      activate: (id) => {
        const deviceId = parseEui64(id);
        if (!fleet.find(deviceId)) throw DccError.duis('E20', `no communications path to device ${id}`);
        const stored = store.get(id);
        const meter = stored
          ? MeterDevice.fromState(deviceId, fleet.seed, stored, clock)
          : new MeterDevice(deviceId, fleet.seed, clock);
        return { meter, dirty: false, recent: new Map() };
      },
      receive: (actor, command) =>
        inSpan(
          'meter execute',
          SpanKind.INTERNAL,
          context.active(),
          {
            'dcc.device_id': actor.meter.deviceId,
            'dcc.srv': command.request?.serviceReferenceVariant ?? '',
          },
          () => execute(actor, command, clock, supplierKeys),
        ),
      // Passivation saves what changed, so the next activation continues from it.
      passivate: (id, actor) => {
        if (actor.dirty) store.set(id, actor.meter.toBytes());
      },
    },
    { idleMs, mailboxCapacity: 1_000 },
  );
}

export function execute(
  actor: MeterActor,
  command: MeterCommand,
  clock: () => number,
  supplierKeys: SupplierKeys,
): ServiceResponse {
  const request = command.request!;
  // Keyed by the stored command (RequestID and acceptance instant): a replay of the RequestID is a new command
  // the meter refuses, not a redelivery.
  const stored = `${request.requestId}@${command.acceptedAtMs}`;
  const earlier = actor.recent.get(stored);
  if (earlier) return earlier;
  // Critical SRVs: the signature must verify with the supplier key this meter trusts (critical-verification.ts).
  const { request: verified, signer } = verifyCriticalCommand(actor.meter, request, supplierKeys);
  const call = deviceCallOf(verified);
  let result;
  try {
    result = actor.meter.run({
      srv: request.serviceReferenceVariant,
      params: call.params,
      requestId: request.requestId,
      ...(call.executionTimeMs === undefined ? {} : { executionTimeMs: call.executionTimeMs }),
      ...(signer ? { signer } : {}),
    });
  } catch (error) {
    // A refused command changes nothing but what the passage of time changed (alerts kept for the next
    // answer, credit settled): keep that too.
    actor.dirty = true;
    throw error;
  }
  if (result.stateChanged) actor.dirty = true;
  const response = responseOf(request, result, clock());
  actor.recent.set(stored, response);
  if (actor.recent.size > RECENT_RESPONSES) actor.recent.delete(actor.recent.keys().next().value!);
  return response;
}
