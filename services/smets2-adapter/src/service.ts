import { consumers, DurableConsumer, DurablePublisher, ensureHubStreams, streams, subjects } from '@dcc/bus';
import { SimulatedFleet } from '@dcc/meter';
import { MeterCommand, Smets2OperationsServiceService } from '@dcc/proto';
import type { ServiceModule } from '@dcc/service-kit';
import { metrics } from '@opentelemetry/api';
import { createCommandHandler } from './command-handler.js';
import { smets2AdapterConfig } from './config.js';
import { SupplierKeys } from './critical-verification.js';
import { createMeterActors } from './meter-actors.js';
import { operationsApi, type FleetCounters } from './operations-api.js';

/** The SMETS2 adapter: consumes accepted SMETS2 commands and runs them on meter actors. */
export const smets2Adapter: ServiceModule<typeof smets2AdapterConfig> = {
  name: 'smets2-adapter',
  defaultGrpcPort: 50062,
  config: smets2AdapterConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    const fleet = new SimulatedFleet(config.FLEET_SIZE, config.FLEET_SEED);
    const actors = createMeterActors(
      fleet,
      config.ACTOR_IDLE_MS,
      undefined,
      undefined,
      SupplierKeys.fromUsersConfig(config.USERS),
    );
    const counters: FleetCounters = { fleetSize: fleet.size, commandsExecuted: 0 };
    const handle = createCommandHandler(actors, new DurablePublisher(requester));
    const consumer = await DurableConsumer.start(nc, {
      stream: streams.meterMail.name,
      durable: consumers.meterMail('s2'),
      filterSubject: subjects.meterMailOfPath('s2'),
      codec: MeterCommand,
      what: 'meter command',
      maxAckPending: config.MAX_COMMANDS_IN_FLIGHT,
      handle: async (command) => {
        await handle(command);
        counters.commandsExecuted++;
      },
      onRejected: (error, msg) => log.error({ err: error, subject: msg.subject }, 'meter command rejected'),
    });
    metrics
      .getMeter('@dcc/smets2-adapter')
      .createObservableGauge('dcc.meter.actors.active', { description: 'Meter actors in memory' })
      .addCallback((result) => result.observe(actors.activeCount));
    log.info({ fleetSize: fleet.size }, 'SMETS2 fleet ready');
    return {
      grpc: [
        {
          name: 'dcc.v1.Smets2OperationsService',
          definition: Smets2OperationsServiceService,
          implementation: operationsApi(actors, counters),
        },
      ],
      async drain() {
        await consumer.drain();
        await actors.close();
      },
    };
  },
};
