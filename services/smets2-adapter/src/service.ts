import { DurablePublisher, ensureHubStreams, FirmwareImageStore } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import { SimulatedFleet } from '@dcc/meter';
import {
  inventoryEffects,
  cosPartyKey,
  deviceProvisioning,
  DeliveryActor,
  operatorAccessOf,
  deliverySettings,
  startDeliveryRuntime,
  SharedSwitches,
  SupplierKeys,
  type DeviceSlot,
} from '@dcc/meter-delivery';
import {
  DeviceEdgeServiceService,
  GridSimulationServiceService,
  Smets2OperationsServiceService,
} from '@dcc/proto';
import { tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { smets2AdapterConfig } from './config.js';
import { perRegion } from './csp-region.js';
import { CspWan } from './csp-wan.js';
import { deviceEdgeApi } from './device-edge-api.js';
import { gridSimulationApi } from './grid-simulation-api.js';
import { operationsApi } from './operations-api.js';
import { observeRegions } from './region-metrics.js';
import { Smets2Transport, type Smets2Link } from './smets2-transport.js';

type Config = Parameters<ServiceModule<typeof smets2AdapterConfig>['start']>[0]['config'];

const idList = (value: string, field: string) =>
  value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .map((id) => parseEui64(id, field));

/** The three CSP regions' WANs from the settings (docs/operations.md). */
function cspWan(config: Config, switches: SharedSwitches): CspWan {
  return new CspWan({
    models: perRegion((region) => ({
      baseLatencyMs: config[`CSP_${region}_LATENCY_MS`],
      jitterMs: config[`CSP_${region}_JITTER_MS`],
      lossRate: config[`CSP_${region}_LOSS`],
      concurrency: config[`CSP_${region}_CONCURRENCY`],
      attemptTimeoutMs: config.CSP_ATTEMPT_TIMEOUT_MS,
    })),
    targetResponseMs: config.SMETS2_TRT_MS,
    seed: config.CSP_WAN_SEED,
    switches,
    scheduledShare: config.SCHEDULED_DELIVERY_SHARE,
  });
}

/**
 * The SMETS2 adapter: the SMETS2 delivery path (`dcc.meter.s2.<partition>.<device>` on METER_MAIL) run by the
 * generation-independent device actors of libs/meter-delivery over the SMETS2 transport (the CSP regions'
 * WANs, csp-wan.ts). Its instances share the path's partitions through KV leases; each runs the commands of the
 * meters it owns and stores their state in JetStream KV (LMDB as local working set).
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
    const provisioning = deviceProvisioning(config);
    for (const warning of provisioning.missing) log.warn(warning);
    const fleet = new SimulatedFleet(config.FLEET_SIZE, config.FLEET_SEED, {
      cosPartyPublicKey,
      ...provisioning.options,
    });
    // Regions out of service and comms hubs unavailable hold for every instance (JetStream KV).
    const switches = await SharedSwitches.open(nc, 's2', (error) =>
      log.warn({ err: error }, "operators' switches: watch ended"),
    );
    const wan = cspWan(config, switches);
    for (const hub of idList(config.CSP_UNAVAILABLE_COMMS_HUBS, 'CSP_UNAVAILABLE_COMMS_HUBS'))
      await wan.setHopAvailable(hub, false, 'CSP_UNAVAILABLE_COMMS_HUBS');
    const settings = deliverySettings(config, 'smets2-adapter');
    const publisher = new DurablePublisher(requester);
    const actor = new DeliveryActor<Smets2Link>({
      transport: new Smets2Transport(fleet, wan),
      supplierKeys: SupplierKeys.fromUsersConfig(config.USERS),
      publisher,
      log,
      // A HAN join or unjoin the device executed changes the inventory's links (registration) before its I0.
      inventory: inventoryEffects(requester),
      // The firmware images access control keeps (11.1, 11.4), read when a device's comms hub forwards one.
      firmwareImages: await FirmwareImageStore.open(nc),
    });
    const delivery = await startDeliveryRuntime<DeviceSlot<Smets2Link>>(
      nc,
      's2',
      settings,
      actor,
      (error, where) => log.warn({ err: error, where }, 'meter runtime'),
    );
    if (delivery.legacyDeleted) log.info('deleted the single meter-mail-s2 durable of earlier releases');
    const { runtime } = delivery;
    const unobserve = observeRegions(wan);
    const access = operatorAccessOf(config);
    if (access.allowPlaintext)
      log.warn('OPERATIONS_API_PLAINTEXT: the operations API answers unauthenticated callers');
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
          definition: tolerantDefinition(Smets2OperationsServiceService),
          implementation: operationsApi({
            fleet,
            actors: runtime,
            stats: actor.stats,
            wan,
            access,
          }),
        },
        {
          name: 'dcc.v1.GridSimulationService',
          definition: tolerantDefinition(GridSimulationServiceService),
          implementation: gridSimulationApi({
            requester,
            publisher,
            access,
            partitions: config.METER_PARTITIONS,
            registrationTimeoutMs: config.REGISTRATION_TIMEOUT_MS,
          }),
        },
        {
          name: 'dcc.v1.DeviceEdgeService',
          definition: tolerantDefinition(DeviceEdgeServiceService),
          implementation: deviceEdgeApi({
            fleet,
            partitions: runtime.partitions,
            publisher,
            access,
          }),
        },
      ],
      // Stops pulling, finishes running commands, releases the partition leases (and the consumer).
      drain: async () => {
        unobserve();
        await delivery.stop();
        switches.stop();
        log.info(wan.totals(), 'SMETS2 device edge at stop');
      },
    };
  },
};
