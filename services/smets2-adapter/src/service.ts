import { DurablePublisher, ensureHubStreams } from '@dcc/bus';
import { SimulatedFleet, type MeterDevice } from '@dcc/meter';
import {
  cosPartyKey,
  DeliveryActor,
  deliverySettings,
  startDeliveryRuntime,
  SupplierKeys,
  type DeviceSlot,
} from '@dcc/meter-delivery';
import { Smets2OperationsServiceService } from '@dcc/proto';
import type { ServiceModule } from '@dcc/service-kit';
import { smets2AdapterConfig } from './config.js';
import { operationsApi } from './operations-api.js';
import { Smets2Transport } from './smets2-transport.js';

/**
 * The SMETS2 adapter: the SMETS2 delivery path (`dcc.meter.s2.<partition>.<device>` on METER_MAIL) run by the
 * generation-independent device actors of libs/meter-delivery over the SMETS2 transport. Its instances share
 * the path's partitions through KV leases; each runs the commands of the meters it owns and stores their state
 * in JetStream KV (LMDB as local working set).
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
    const settings = deliverySettings(config, 'smets2-adapter');
    const actor = new DeliveryActor<MeterDevice>({
      transport: new Smets2Transport(fleet),
      supplierKeys: SupplierKeys.fromUsersConfig(config.USERS),
      publisher: new DurablePublisher(requester),
      log,
    });
    const delivery = await startDeliveryRuntime<DeviceSlot<MeterDevice>>(
      nc,
      's2',
      settings,
      actor,
      (error, where) => log.warn({ err: error, where }, 'meter runtime'),
    );
    if (delivery.legacyDeleted) log.info('deleted the single meter-mail-s2 durable of earlier releases');
    const { runtime } = delivery;
    log.info(
      {
        fleetSize: fleet.size,
        instanceId: settings.instanceId,
        dataDir: settings.dataDir,
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
          implementation: operationsApi(fleet, runtime, actor.stats),
        },
      ],
      // Stops pulling, finishes running commands, releases the partition leases (and the consumer).
      drain: () => delivery.stop(),
    };
  },
};
