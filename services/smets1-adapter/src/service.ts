import { DurablePublisher, ensureHubStreams, FirmwareImageStore } from '@dcc/bus';
import {
  inventoryEffects,
  cosPartyKey,
  deviceProvisioning,
  DeliveryActor,
  deliverySettings,
  operatorAccessOf,
  SharedSwitches,
  startDeliveryRuntime,
  SupplierKeys,
  type DeviceSlot,
} from '@dcc/meter-delivery';
import { Smets1OperationsServiceService } from '@dcc/proto';
import { tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { perCohort } from './cohort.js';
import { smets1AdapterConfig } from './config.js';
import { dcoKeys } from './countersignature.js';
import { Dco } from './dco.js';
import { DcoLanes } from './dco-lanes.js';
import { HalfHourlyCache } from './half-hourly-cache.js';
import { operationsApi } from './operations-api.js';
import { observeCohorts } from './cohort-metrics.js';
import { S1ServiceProviders } from './s1-service-providers.js';
import { Smets1Transport, type Smets1Link } from './smets1-transport.js';

/**
 * The SMETS1 adapter: the SMETS1 delivery path (`dcc.meter.s1.<partition>.<device>` on METER_MAIL, where access
 * control stores requests for devices the inventory records as SMETS1) run by the device actors of
 * libs/meter-delivery over the SMETS1 transport: half-hourly cache, DCO per cohort (sequential within a cohort
 * hub-wide, whichever instance a command arrives at: dco-lanes.ts; parallel across cohorts), S1 service provider per cohort, simulated SMETS1 meters at the device edge.
 */
export const smets1Adapter: ServiceModule<typeof smets1AdapterConfig> = {
  name: 'smets1-adapter',
  defaultGrpcPort: 50064,
  config: smets1AdapterConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    const cosPartyPublicKey = cosPartyKey(config.COS_PARTY_PUBLIC_KEY_FILE);
    if (!cosPartyPublicKey)
      log.warn('COS_PARTY_PUBLIC_KEY_FILE unset: meters refuse every 6.23 credential swap');
    const provisioning = deviceProvisioning(config);
    for (const warning of provisioning.missing) log.warn(warning);
    const { keys, ephemeral } = dcoKeys(config.DCO_KEY_FILE, config.DCO_PUBLIC_KEY_FILE);
    if (ephemeral)
      log.warn(
        'DCO_KEY_FILE unset: the DCO countersigns with a key pair made for this process; with more than one ' +
          'instance, commands countersigned by another instance fail the device check',
      );
    const dco = new Dco({
      keys,
      processingMs: {
        IOC: config.DCO_PROCESSING_MS_IOC,
        MOC: config.DCO_PROCESSING_MS_MOC,
        FOC: config.DCO_PROCESSING_MS_FOC,
      },
    });
    const settings = deliverySettings(config, 'smets1-adapter');
    // One lane per cohort hub-wide: the instance holding a cohort's lease runs it, the others hand it their
    // commands of that cohort.
    const lanes = await DcoLanes.start({
      nc,
      instanceId: settings.instanceId,
      dco,
      budgetMs: config.SMETS1_TRT_MS,
      attemptMs: config.DCO_HANDOFF_ATTEMPT_MS,
      leases: { ttlMs: config.DCO_LANE_LEASE_TTL_MS },
      onError: (error, where) => log.warn({ err: error, where }, 'DCO lanes'),
    });
    // A cohort out of service holds for every instance (JetStream KV).
    const switches = await SharedSwitches.open(nc, 's1', (error) =>
      log.warn({ err: error }, "operators' switches: watch ended"),
    );
    const providers = new S1ServiceProviders({
      models: perCohort((cohort) => ({
        baseLatencyMs: config[`S1SP_LATENCY_MS_${cohort}`],
        jitterMs: config[`S1SP_JITTER_MS_${cohort}`],
        lossRate: config[`S1SP_LOSS_${cohort}`],
        concurrency: config[`S1SP_CONCURRENCY_${cohort}`],
        attemptTimeoutMs: config.S1SP_ATTEMPT_TIMEOUT_MS,
      })),
      targetResponseMs: config.SMETS1_TRT_MS,
      seed: config.S1SP_SEED,
      switches,
      scheduledShare: config.SCHEDULED_DELIVERY_SHARE,
    });
    const cache = new HalfHourlyCache({
      ttlMs: config.HH_CACHE_TTL_MS,
      maxEntries: config.HH_CACHE_MAX_ENTRIES,
    });
    const transport = new Smets1Transport({
      dco: lanes,
      providers,
      cache,
      dcoPublicKey: keys.publicKey,
      seed: config.FLEET_SEED,
      meterOptions: { cosPartyPublicKey, ...provisioning.options },
    });
    const actor = new DeliveryActor<Smets1Link>({
      transport,
      supplierKeys: SupplierKeys.fromUsersConfig(config.USERS),
      publisher: new DurablePublisher(requester),
      log,
      // A HAN join or unjoin the device executed changes the inventory's links (registration) before its I0.
      inventory: inventoryEffects(requester),
      // The firmware images access control keeps (11.1, 11.4), read when a device's comms hub forwards one.
      firmwareImages: await FirmwareImageStore.open(nc),
    });
    const delivery = await startDeliveryRuntime<DeviceSlot<Smets1Link>>(
      nc,
      's1',
      settings,
      actor,
      (error, where) => log.warn({ err: error, where }, 'meter runtime'),
    );
    const { runtime } = delivery;
    const unobserve = observeCohorts(dco, providers, cache);
    log.info(
      {
        instanceId: settings.instanceId,
        dataDir: settings.dataDir,
        partitions: runtime.partitions,
        owned: runtime.ownedPartitions.length,
        dcoLanes: lanes.heldCohorts,
      },
      'SMETS1 path ready',
    );
    const access = operatorAccessOf(config);
    if (access.allowPlaintext)
      log.warn('OPERATIONS_API_PLAINTEXT: the operations API answers unauthenticated callers');
    return {
      grpc: [
        {
          name: 'dcc.v1.Smets1OperationsService',
          definition: tolerantDefinition(Smets1OperationsServiceService),
          implementation: operationsApi({
            actors: runtime,
            stats: actor.stats,
            dco,
            providers,
            cache,
            access,
          }),
        },
      ],
      // Stops pulling, finishes running commands, releases the partition leases (and the consumer).
      drain: async () => {
        unobserve();
        await delivery.stop();
        await lanes.stop();
        switches.stop();
        log.info(providers.totals(), 'SMETS1 device edge at stop');
      },
    };
  },
};
