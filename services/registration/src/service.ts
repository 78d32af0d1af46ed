import { DurablePublisher, Responder, subjects } from '@dcc/bus';
import {
  AuthoriseRegistrationBatchRequest,
  AuthoriseRegistrationBatchResponse,
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
  DevicePartiesRequest,
  DevicePartiesResponse,
  GridMetersRequest,
  GridMetersResponse,
  HanLinkReply,
  DeviceLogRestoredReply,
  DeviceLogRestoredReport,
  SavedDeviceLogReply,
  SavedDeviceLogRequest,
  HanLinkReport,
  ReadInventoryRequest,
  ReadInventoryResponse,
  RegistrationBulkServiceService,
  RegistrationServiceService,
  RoutedInventoryChangeRequest,
  RoutedInventoryChangeResponse,
  RequestWanMatrixRequest,
  ServiceOptOutReply,
  ServiceOptOutReport,
  WanMatrixResponse,
  RoutedChfOperationRequest,
  RoutedChfOperationResponse,
} from '@dcc/proto';
import { tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { guardedApi, guardedBulkApi, identityList } from './api-access.js';
import { loadFeedChunks } from './bulk-feed.js';
import { registrationApi } from './api.js';
import { authorise } from './authorise.js';
import { deviceParties } from './device-parties.js';
import { gridMeters } from './grid-meters.js';
import { readInventory } from './inventory.js';
import { routedInventoryChange } from './inventory-changes.js';
import { recordHanLink } from './han-links.js';
import { savedDeviceLog } from './device-log.js';
import { recordDeviceLogRestored } from './device-log-restored.js';
import { routedChfOperation } from './chf-operations.js';
import { systemClock, type Clock } from './clock.js';
import { dueSwitchChanges, type CosSettings } from './switch-changes.js';
import { registrationConfig } from './config.js';
import { countedEndpoint } from './request-metrics.js';
import { Follower } from './follower.js';
import { ensureRegistrationStream, Recorder } from './recorder.js';
import { RegistrationState } from './state.js';
import { recordOptOut } from './opt-outs.js';
import { wanMatrix } from './wan-matrix.js';
import { parseHolidays } from './working-days.js';

export interface RegistrationOptions {
  /** "Now" for workflows, queries and records (tests pass a ManualClock). */
  clock?: Clock;
}

/** A running instance's internals, for tests in the same process. */
export interface RegistrationHandle {
  state: RegistrationState;
  recorder: Recorder;
  follower: Follower;
  /** Records what is due now (the periodic tick does the same). */
  tick(): Promise<number>;
}

/**
 * The registration service: the REGISTRATION stream is the record; the state is rebuilt from it at start and
 * then kept in step with every change it records. `onStarted` hands tests the running internals.
 */
export function createRegistrationService(
  options: RegistrationOptions & { onStarted?: (handle: RegistrationHandle) => void } = {},
): ServiceModule<typeof registrationConfig> {
  const clock = options.clock ?? systemClock;
  return {
    name: 'registration',
    defaultGrpcPort: 50063,
    config: registrationConfig,
    async start({ config, nc, requester, log }) {
      const cos: CosSettings = {
        objectionWorkingDays: config.COS_OBJECTION_WORKING_DAYS,
        resolveWorkingDays: config.COS_RESOLVE_WORKING_DAYS,
        gasEffectiveDays: config.GAS_SWITCH_DAYS,
        holidays: parseHolidays(config.BANK_HOLIDAYS),
      };
      const access = {
        operators: identityList(config.REGISTRATION_ADMIN_IDS, 'REGISTRATION_ADMIN_IDS'),
        providers: identityList(config.REGISTRATION_PROVIDER_IDS, 'REGISTRATION_PROVIDER_IDS'),
      };
      await ensureRegistrationStream(nc);
      const state = new RegistrationState(config.REGISTRY_CAPACITY);
      const started = Date.now();
      // Every instance follows the record (its own and the other instances' changes) from here on.
      const follower = new Follower(nc, state, log);
      const replayed = await follower.start();
      log.info(
        { events: replayed, points: state.view.size, devices: state.devices.size, ms: Date.now() - started },
        'registration record replayed',
      );
      const recorder = new Recorder(follower, new DurablePublisher(requester), clock, (error) => {
        // A batch applied ahead of its PubAck was not stored: only a rebuild from the record is right again.
        log.fatal({ err: error }, 'registration state ahead of its record: exiting to rebuild it at restart');
        process.exit(1);
      });
      const tick = () => recorder.change((s) => dueSwitchChanges(s, clock.now()));
      // Workflows due while the service was down complete now; then the periodic tick re-checks.
      const due = await tick();
      if (due > 0) log.info({ events: due }, 'due change-of-supplier workflows recorded at start');
      let ticking = false;
      const timer = setInterval(() => {
        if (ticking) return;
        ticking = true;
        tick()
          .catch((error: unknown) => log.error({ err: error }, 'change-of-supplier tick failed'))
          .finally(() => (ticking = false));
      }, config.COS_TICK_MS);
      timer.unref();
      const responder = new Responder(nc, {
        subject: subjects.registrationAuthorise,
        queue: 'registration',
        request: AuthoriseRegistrationRequest,
        response: AuthoriseRegistrationResponse,
        handle: countedEndpoint(subjects.registrationAuthorise, (request) =>
          authorise(state, request, clock),
        ),
      });
      // Access control's checks coalesced under load: one message, each answered for its own instant.
      const batchResponder = new Responder(nc, {
        subject: subjects.registrationAuthoriseBatch,
        queue: 'registration',
        request: AuthoriseRegistrationBatchRequest,
        response: AuthoriseRegistrationBatchResponse,
        handle: (batch) => ({ answers: batch.requests.map((request) => authorise(state, request, clock)) }),
      });
      // Alert routing (access control's alert router): the parties of a device's point at an instant.
      const parties = new Responder(nc, {
        subject: subjects.registrationParties,
        queue: 'registration',
        request: DevicePartiesRequest,
        response: DevicePartiesResponse,
        handle: countedEndpoint(subjects.registrationParties, (request) =>
          deviceParties(state, request, clock),
        ),
      });
      // The device edge's simulated network events: which meters a feeder or substation reaches.
      const gridMetersResponder = new Responder(nc, {
        subject: subjects.registrationGridMeters,
        queue: 'registration',
        request: GridMetersRequest,
        response: GridMetersResponse,
        handle: countedEndpoint(subjects.registrationGridMeters, (request) => gridMeters(state, request)),
      });
      // SRV 8.2 routed by access control (CV 8): the same answer as the gRPC ReadInventory.
      const inventory = new Responder(nc, {
        subject: subjects.registrationInventoryRead,
        queue: 'registration',
        request: ReadInventoryRequest,
        response: ReadInventoryResponse,
        handle: countedEndpoint(subjects.registrationInventoryRead, (request) =>
          readInventory(state, request),
        ),
      });
      // SRVs 8.3, 8.4, 8.6 and 12.2 routed by access control (CV 8): ownership checked before the change is applied
      // (inventory-changes.ts); the gRPC RPCs are the operators' and do not check it.
      const changes = new Responder(nc, {
        subject: subjects.registrationInventoryChange,
        queue: 'registration',
        request: RoutedInventoryChangeRequest,
        response: RoutedInventoryChangeResponse,
        handle: countedEndpoint(subjects.registrationInventoryChange, (request) =>
          routedInventoryChange(recorder, clock, request),
        ),
      });
      // SRV 12.1 routed by access control (CV 8): the WAN matrix from the estate registration holds (wan-matrix.ts).
      const wanMatrixResponder = new Responder(nc, {
        subject: subjects.registrationWanMatrix,
        queue: 'registration',
        request: RequestWanMatrixRequest,
        response: WanMatrixResponse,
        handle: countedEndpoint(subjects.registrationWanMatrix, (request) => wanMatrix(state, request)),
      });
      // The device edge's executed 8.5 opt-outs: the device is Withdrawn in the inventory (opt-outs.ts).
      const optOuts = new Responder(nc, {
        subject: subjects.registrationOptOut,
        queue: 'registration',
        request: ServiceOptOutReport,
        response: ServiceOptOutReply,
        handle: countedEndpoint(subjects.registrationOptOut, (report) => recordOptOut(recorder, report)),
      });
      // The device edge's HAN joins and unjoins (8.7.x, 8.8.x): the inventory's links follow (han-links.ts).
      const hanLinks = new Responder(nc, {
        subject: subjects.registrationHanLinks,
        queue: 'registration',
        request: HanLinkReport,
        response: HanLinkReply,
        handle: countedEndpoint(subjects.registrationHanLinks, (report) => recordHanLink(recorder, report)),
      });
      // SRVs 8.12.x, before access control acknowledges them: the old CHF's or GPF's saved log (device-log.ts).
      const deviceLogs = new Responder(nc, {
        subject: subjects.registrationDeviceLog,
        queue: 'registration',
        request: SavedDeviceLogRequest,
        response: SavedDeviceLogReply,
        handle: countedEndpoint(subjects.registrationDeviceLog, (request) => savedDeviceLog(state, request)),
      });
      // The device edge's executed 8.12.x restores: the old device's links move to the new (device-log-restored.ts).
      const restoredLogs = new Responder(nc, {
        subject: subjects.registrationDeviceLogRestored,
        queue: 'registration',
        request: DeviceLogRestoredReport,
        response: DeviceLogRestoredReply,
        handle: countedEndpoint(subjects.registrationDeviceLogRestored, (report) =>
          recordDeviceLogRestored(recorder, report),
        ),
      });
      // SRVs 8.13 and 8.14.x routed by access control (CV 8): ownership checked first (chf-operations.ts).
      const chfOperations = new Responder(nc, {
        subject: subjects.registrationChfOperation,
        queue: 'registration',
        request: RoutedChfOperationRequest,
        response: RoutedChfOperationResponse,
        handle: countedEndpoint(subjects.registrationChfOperation, (request) =>
          routedChfOperation(recorder, clock, request),
        ),
      });
      options.onStarted?.({ state, recorder, follower, tick });
      return {
        grpc: [
          {
            name: 'dcc.v1.RegistrationService',
            definition: tolerantDefinition(RegistrationServiceService),
            // Operators and registration data providers only, by client certificate (api-access.ts).
            implementation: guardedApi(registrationApi({ recorder, clock, cos, log }), access),
          },
          {
            name: 'dcc.v1.RegistrationBulkService',
            definition: tolerantDefinition(RegistrationBulkServiceService),
            implementation: guardedBulkApi(
              { loadFeedChunks: (call) => loadFeedChunks(call, { recorder, log }) },
              access,
            ),
          },
        ],
        async drain() {
          clearInterval(timer);
          await Promise.all([
            responder.drain(),
            batchResponder.drain(),
            parties.drain(),
            gridMetersResponder.drain(),
            inventory.drain(),
            changes.drain(),
            wanMatrixResponder.drain(),
            optOuts.drain(),
            hanLinks.drain(),
            deviceLogs.drain(),
            restoredLogs.drain(),
            chfOperations.drain(),
          ]);
          await recorder.idle();
          await follower.stop();
        },
      };
    },
  };
}

/** The registration service on the system clock. */
export const registration = createRegistrationService();
