import {
  DurablePublisher,
  ensureHubStreams,
  FirmwareImageStore,
  observeStreamConsumersLag,
  streams,
} from '@dcc/bus';
import {
  AlertRoutingServiceService,
  QuarantineServiceService,
  ServiceRequestsServiceService,
  UserAdminServiceService,
} from '@dcc/proto';
import { parseEui64 } from '@dcc/domain';
import { tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { AlertRouter } from './alert-router.js';
import { alertRoutingApi } from './alert-routing-api.js';
import { AnomalyDetector } from './anomaly-detector.js';
import { AnomalyScreen } from './anomaly-screen.js';
import { CosParty } from './cos-party.js';
import { accessControlConfig } from './config.js';
import { PreCommands } from './critical-commands.js';
import { natsSavedDeviceLogs } from './device-log-fill.js';
import { Quarantine } from './quarantine.js';
import { QuarantineApi } from './quarantine-api.js';
import { FirmwareDistributor } from './firmware-distribution.js';
import { NatsNonDeviceRouter } from './non-device-routing.js';
import { NatsRegistrationCheck } from './registration-check.js';
import { CounterGuard } from './counter-guard.js';
import { SharedAnomalyCounts } from './shared-anomaly-counts.js';
import { CounterFloors } from './counter-floors.js';
import { KvCounterFloors, KvCounterMarks } from './counter-marks.js';
import { RequestAccounting } from './request-accounting.js';
import { RequestIntake } from './request-intake.js';
import { ScheduledRuns } from './scheduled-runs.js';
import { FutureDatedReleases } from './future-dated-releases.js';
import { ConfirmedResponses } from './confirmed-responses.js';
import { ResponseStreams } from './response-stream.js';
import { ServiceRequestsApi } from './service-requests-api.js';
import { userAdminApi } from './user-admin-api.js';
import { UserDirectory, usersFromConfig } from './user-directory.js';
import { UserStore } from './user-store.js';

/** access-control: the DCC User Interface. */
export const accessControl: ServiceModule<typeof accessControlConfig> = {
  name: 'access-control',
  defaultGrpcPort: 50061,
  config: accessControlConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    const users = new UserDirectory([]);
    const userStore = await UserStore.open(nc, users, usersFromConfig(config.USERS), log);
    const publisher = new DurablePublisher(requester);
    const quarantine = new Quarantine(nc, publisher, log);
    await quarantine.recover();
    const registration = new NatsRegistrationCheck(requester, config.REGISTRATION_TIMEOUT_MS);
    // Threshold counts shared by every instance (docs/operations.md, scaling access control), or this one's.
    const detector = new AnomalyDetector(config.ANOMALY_THRESHOLDS);
    const anomalyCounts =
      config.ANOMALY_COUNTERS === 'shared'
        ? await SharedAnomalyCounts.open(nc, requester, detector, (error) =>
            log.warn({ err: error }, 'anomaly count not taken back'),
          )
        : detector;
    const markWindowMs = config.COUNTER_MARK_WINDOW_MINUTES * 60_000;
    const intake = new RequestIntake({
      users,
      log,
      // Durable high-water marks: a replay is refused after restarts too (counter-guard.ts).
      counters: new CounterGuard(
        config.COUNTER_CACHE_SIZE,
        await KvCounterMarks.open(nc, requester, markWindowMs),
        (error) => log.warn({ err: error }, 'RequestID high-water mark not stored'),
        new CounterFloors(markWindowMs, await KvCounterFloors.open(nc, requester)),
      ),
      // Device existence, type, authorisation, status and delivery path: the Smart Metering Inventory's answer.
      registration,
      publisher,
      hubId: parseEui64(config.HUB_ID, 'HUB_ID'),
      accounting: new RequestAccounting(publisher, log),
      nonDevice: new NatsNonDeviceRouter(requester, config.REGISTRATION_TIMEOUT_MS),
      // 8.12.x: the saved device log of the replaced CHF or GPF, from the inventory (device-log-fill.ts).
      deviceLogs: natsSavedDeviceLogs(requester, config.REGISTRATION_TIMEOUT_MS),
      // 11.1 / 11.4: images kept once (JetStream KV by hash), transfers mailed to the devices' adapters.
      firmware: new FirmwareDistributor({
        images: await FirmwareImageStore.open(nc),
        publisher,
        registration,
        partitions: config.METER_PARTITIONS,
      }),
      anomalies: new AnomalyScreen(anomalyCounts, quarantine),
      partitions: config.METER_PARTITIONS,
      cosParty: CosParty.fromFile(config.COS_PARTY_KEY_FILE),
      preCommands: new PreCommands({
        ...(config.PRE_COMMAND_KEY ? { key: Buffer.from(config.PRE_COMMAND_KEY, 'hex') } : {}),
        ttlMs: config.PRE_COMMAND_TTL_MS,
      }),
    });
    // Device alerts from ALERTS to the Users the dispatching table and registration name (alert-router.ts).
    const alerts = await AlertRouter.start(nc, {
      requester,
      publisher,
      log,
      registrationTimeoutMs: config.REGISTRATION_TIMEOUT_MS,
    });
    // Runs of DCC schedules (the scheduling service), checked again at their due time (scheduled-runs.ts).
    const releaseDeps = { users, publisher, registration, partitions: config.METER_PARTITIONS, log };
    const scheduledRuns = await ScheduledRuns.start(nc, releaseDeps);
    // DSP future-dated requests the scheduling service released at their time, checked again (E30 when late).
    const futureDated = await FutureDatedReleases.start(nc, releaseDeps);
    // Alerts not yet routed, and each User's responses not yet read: the consumers are shared by every instance,
    // so each reports the same figures (take the max).
    const unobserveLag = [streams.alerts.name, streams.responses.name].map((stream) =>
      observeStreamConsumersLag(nc, stream),
    );
    // Responses every reader has acknowledged (the User by confirming) leave RESPONSES (confirmed-responses.ts).
    const confirmed = await ConfirmedResponses.start(nc, log, {
      intervalMs: config.CONFIRMED_RESPONSES_PRUNE_MS,
      required: config.CONFIRMED_RESPONSES_READERS.split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && name !== 'none'),
    });
    const api = new ServiceRequestsApi(
      intake,
      new ResponseStreams(nc, requester, users, log),
      config.STREAM_WINDOW,
    );
    return {
      grpc: [
        {
          name: 'dcc.v1.ServiceRequestsService',
          definition: tolerantDefinition(ServiceRequestsServiceService),
          implementation: api.implementation(),
        },
        {
          name: 'dcc.v1.UserAdminService',
          definition: tolerantDefinition(UserAdminServiceService),
          implementation: userAdminApi(userStore, users, {
            adminIds: new Set(
              config.ADMIN_IDS.split(',')
                .map((id) => id.trim())
                .filter((id) => id !== '')
                .map((id) => parseEui64(id, 'ADMIN_IDS')),
            ),
            allowPlaintext: config.ADMIN_API_PLAINTEXT === 'true',
          }),
        },
        {
          name: 'dcc.v1.AlertRoutingService',
          definition: tolerantDefinition(AlertRoutingServiceService),
          implementation: alertRoutingApi(users),
        },
        {
          name: 'dcc.v1.QuarantineService',
          definition: tolerantDefinition(QuarantineServiceService),
          implementation: new QuarantineApi(quarantine, users).implementation(),
        },
      ],
      async drain() {
        for (const unobserve of unobserveLag) unobserve();
        await api.drain();
        await alerts.drain();
        await scheduledRuns.drain();
        await futureDated.drain();
        await confirmed.stop();
        userStore.stop();
      },
    };
  },
};
