import { DurablePublisher, ensureHubStreams } from '@dcc/bus';
import { SimulatedFleet } from '@dcc/meter';
import { Smets2OperationsServiceService } from '@dcc/proto';
import type { ServiceModule } from '@dcc/service-kit';
import { metrics } from '@opentelemetry/api';
import { createCommandHandler } from './command-handler.js';
import { smets2AdapterConfig } from './config.js';
import { cosPartyKey, SupplierKeys } from './critical-verification.js';
import { defaultDataDir, defaultInstanceId, meterActorKind, startMeterRuntime } from './meter-runtime.js';
import { operationsApi, type FleetCounters } from './operations-api.js';

/**
 * The SMETS2 adapter: hosts the SMETS2 meter actors on the partitioned actor runtime (libs/actors). Its
 * instances share the partitions of METER_MAIL's `dcc.meter.s2.<partition>.>` through KV leases; each runs the
 * commands of the meters it owns and stores their state in JetStream KV (LMDB as local working set).
 */
export const smets2Adapter: ServiceModule<typeof smets2AdapterConfig> = {
  name: 'smets2-adapter',
  defaultGrpcPort: 50062,
  config: smets2AdapterConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    // The CoS party's public key is installed in every simulated meter: no 6.23 swap without its signature.
    const cosPartyPublicKey = cosPartyKey(config.COS_PARTY_PUBLIC_KEY_FILE);
    if (!cosPartyPublicKey)
      log.warn('COS_PARTY_PUBLIC_KEY_FILE unset: meters refuse every 6.23 credential swap');
    const fleet = new SimulatedFleet(config.FLEET_SIZE, config.FLEET_SEED, { cosPartyPublicKey });
    const counters: FleetCounters = { fleetSize: fleet.size, commandsExecuted: 0 };
    const instanceId = config.INSTANCE_ID ?? defaultInstanceId();
    const dataDir = config.DATA_DIR ?? defaultDataDir(instanceId);
    const actor = meterActorKind({
      fleet,
      supplierKeys: SupplierKeys.fromUsersConfig(config.USERS),
      handle: createCommandHandler(new DurablePublisher(requester)),
      onRejected: (error, subject) => log.error({ err: error, subject }, 'meter command rejected'),
      onExecuted: () => counters.commandsExecuted++,
    });
    const { runtime, store, legacyDeleted } = await startMeterRuntime(
      nc,
      {
        instanceId,
        partitions: config.METER_PARTITIONS,
        dataDir,
        leaseTtlMs: config.LEASE_TTL_MS,
        idleMs: config.ACTOR_IDLE_MS,
        maxActive: config.MAX_ACTIVE_ACTORS,
        maxAckPending: config.MAX_COMMANDS_IN_FLIGHT,
        reminderTickMs: config.REMINDER_TICK_MS,
      },
      actor,
      (error, where) => log.warn({ err: error, where }, 'meter runtime'),
    );
    if (legacyDeleted) log.info('deleted the single meter-mail-s2 durable of earlier releases');
    metrics
      .getMeter('@dcc/smets2-adapter')
      .createObservableGauge('dcc.meter.actors.active', { description: 'Meter actors in memory' })
      .addCallback((result) => result.observe(runtime.activeCount));
    log.info(
      {
        fleetSize: fleet.size,
        instanceId,
        dataDir,
        partitions: runtime.partitions,
        owned: runtime.ownedPartitions.length,
      },
      'SMETS2 fleet ready',
    );
    return {
      grpc: [
        {
          name: 'dcc.v1.Smets2OperationsService',
          definition: Smets2OperationsServiceService,
          implementation: operationsApi(runtime, counters),
        },
      ],
      async drain() {
        // Stops pulling, finishes running commands, releases the partition leases (and the consumer).
        await runtime.stop();
        await store.close();
      },
    };
  },
};
