import { DccError } from '@dcc/domain';
import {
  FeedLineOutcome,
  PointStatus,
  type AppointmentPeriod,
  type ConsentInfo,
  type FeedLineResult,
  type LoadFeedRequest,
  type LoadFeedResponse,
  type RegistrationServiceServer,
  type SwitchInfo,
} from '@dcc/proto';
import { AppointmentRole, DeviceStatus, NO_PARTY } from '@dcc/registry';
import { MalformedMessage, toServiceError, writeRespectingBackpressure, type Logger } from '@dcc/service-kit';
import type { ServerDuplexStream, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import {
  cohortToWire,
  fuelToWire,
  kindToWire,
  regionToWire,
  roleFromWire,
  roleToWire,
  statusFromWire,
} from './codes.js';
import {
  deviceToWire,
  grantConsentChanges,
  knownDevice,
  prenotificationChanges,
  requestMpxn,
  revokeConsentChanges,
  statusChanges,
  updateInventoryChanges,
} from './commands.js';
import {
  objectionChanges,
  requestSwitchChanges,
  resolveChanges,
  tenancyChanges,
  type CosSettings,
} from './switch-changes.js';
import type { Clock } from './clock.js';
import {
  countLine,
  decideFeedLine,
  emptyReport,
  rejectionReason,
  type FeedLineDecision,
} from './feed-line.js';
import { readInventory } from './inventory.js';
import { StaleDecision } from './follower.js';
import type { Recorder } from './recorder.js';
import type { ConsentRecord, RegistrationState, SwitchRecord } from './state.js';

/** Lines read ahead of the one being applied before the call stops reading (backpressure). */
const FEED_READ_AHEAD = 256;

export interface ApiDeps {
  recorder: Recorder;
  clock: Clock;
  cos: CosSettings;
  log: Logger;
}

function unary<Req, Res>(handler: (request: Req) => Promise<Res> | Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    Promise.resolve()
      .then(() => {
        const request: unknown = call.request;
        if (request instanceof MalformedMessage) throw request.error();
        return handler(call.request);
      })
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error)),
      );
  };
}

export function switchToWire(s: SwitchRecord): SwitchInfo {
  return {
    switchId: s.id,
    mpxn: s.mpxn,
    fuel: fuelToWire(s.fuel),
    gainingSupplierId: s.gainingSupplierId,
    losingSupplierId: s.losingSupplierId,
    effectiveMs: s.effectiveMs,
    objectionDeadlineMs: s.objectionDeadlineMs,
    irrevocable: s.irrevocable,
    state: s.state,
    resolveDeadlineMs: s.resolveDeadlineMs,
  };
}

const consentToWire = (c: ConsentRecord): ConsentInfo => ({
  partyId: c.partyId,
  fromMs: c.fromMs,
  untilMs: c.untilMs,
  revokedAtMs: c.revokedAtMs,
  revokedReason: c.revokedReason,
});

const pointStatus = (enrolled: boolean) =>
  enrolled ? PointStatus.POINT_STATUS_ENROLLED : PointStatus.POINT_STATUS_WITHDRAWN;

/** The gRPC API of the registration service. */
export function registrationApi(deps: ApiDeps): RegistrationServiceServer {
  const { recorder, clock, cos } = deps;
  const state: RegistrationState = recorder.state;
  const { view } = state;

  return {
    loadFeed: (call) => loadFeed(call, deps),

    getHolder: unary(({ mpxn, role, atMs }) => {
      const point = state.point(requestMpxn(mpxn));
      const r = roleFromWire(role);
      if (r === undefined) throw DccError.invalidArgument('role is required');
      const at = atMs || clock.now();
      const holding = view.history(point, r).find((h) => h.fromMs <= at);
      if (!holding || holding.party === NO_PARTY)
        return { partyId: '', fromMs: holding?.fromMs ?? 0, toMs: holding?.toMs ?? 0 };
      return { partyId: state.partyId(holding.party), fromMs: holding.fromMs, toMs: holding.toMs ?? 0 };
    }),

    getHistory: unary(({ mpxn }) => {
      const point = state.point(requestMpxn(mpxn));
      const info = view.describe(point);
      const appointments: AppointmentPeriod[] = [];
      for (const role of Object.values(AppointmentRole)) {
        for (const h of view.history(point, role)) {
          appointments.push({
            role: roleToWire(h.role),
            partyId: state.partyId(h.party),
            fromMs: h.fromMs,
            toMs: h.toMs ?? 0,
          });
        }
      }
      return {
        point: {
          mpxn: info.mpxn,
          fuel: fuelToWire(info.fuel),
          meterKind: kindToWire(info.kind),
          enrolled: info.enrolled,
          smets1Cohort: cohortToWire(info.cohort),
          cspRegion: regionToWire(info.cspRegion),
          uprn: state.uprnOf(point),
          ...state.addresses.of(point),
        },
        pointStatus: pointStatus(info.enrolled),
        appointments,
        devices: state
          .devicesAt(info.mpxn)
          .map(deviceToWire)
          .sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
        tenancyStartsMs: [...state.tenancyStarts(point)],
        switches: state.switchesAt(info.mpxn).map(switchToWire),
      };
    }),

    readInventory: unary((request) => readInventory(state, request)),

    decommissionDevice: unary(async ({ deviceId, reason }) => {
      await recorder.change((s) =>
        statusChanges(s, deviceId, DeviceStatus.DECOMMISSIONED, reason || 'SRV 8.3'),
      );
      return { device: deviceToWire(knownDevice(state, deviceId)) };
    }),

    updateInventory: unary(async (request) => {
      const status = request.status === 0 ? undefined : statusFromWire(request.status);
      if (request.status !== 0 && status === undefined) throw DccError.invalidArgument('status is unknown');
      await recorder.change((s) =>
        updateInventoryChanges(s, { ...request, status, reason: request.reason || 'SRV 8.4' }),
      );
      return { device: deviceToWire(knownDevice(state, request.deviceId)) };
    }),

    devicePrenotification: unary(async (request) => {
      await recorder.change((s) => prenotificationChanges(s, request));
      return { device: deviceToWire(knownDevice(state, request.deviceId)) };
    }),

    requestSwitch: unary(async (request) => {
      const switchId = randomUUID();
      const mpxn = requestMpxn(request.mpxn);
      await recorder.change((s) => requestSwitchChanges(s, { ...request, mpxn }, clock.now(), cos, switchId));
      return { switch: switchToWire(state.switchOf(switchId)) };
    }),

    objectSwitch: unary(async (request) => {
      await recorder.change((s) => objectionChanges(s, request, clock.now(), cos));
      return { switch: switchToWire(state.switchOf(request.switchId)) };
    }),

    resolveObjection: unary(async (request) => {
      await recorder.change((s) => resolveChanges(s, request, clock.now()));
      return { switch: switchToWire(state.switchOf(request.switchId)) };
    }),

    getSwitch: unary(({ switchId }) => ({ switch: switchToWire(state.switchOf(switchId)) })),

    recordTenancy: unary(async ({ mpxn, startedAtMs }) => {
      const m = requestMpxn(mpxn);
      await recorder.change((s) => tenancyChanges(s, m, startedAtMs));
      return { tenancyStartsMs: [...state.tenancyStarts(state.point(m))] };
    }),

    grantConsent: unary(async ({ mpxn, partyId, fromMs, untilMs }) => {
      const m = requestMpxn(mpxn);
      const from = fromMs || Math.floor(clock.now() / 1000) * 1000;
      await recorder.change((s) => grantConsentChanges(s, { mpxn: m, partyId, fromMs: from, untilMs }));
      return { consents: state.consentsAt(state.point(m)).map(consentToWire) };
    }),

    revokeConsent: unary(async ({ mpxn, partyId, reason }) => {
      const m = requestMpxn(mpxn);
      await recorder.change((s) => revokeConsentChanges(s, { mpxn: m, partyId, reason }, clock.now()));
      return { consents: state.consentsAt(state.point(m)).map(consentToWire) };
    }),

    listConsents: unary(({ mpxn }) => ({
      consents: state.consentsAt(state.point(requestMpxn(mpxn))).map(consentToWire),
    })),
  };
}

/**
 * A feed: each line is parsed, checked and recorded in arrival order, one result per line; bad lines are
 * reported with their number and do not stop the feed; the report ends the call.
 */
function loadFeed(call: ServerDuplexStream<LoadFeedRequest, LoadFeedResponse>, deps: ApiDeps): void {
  const { recorder, log } = deps;
  const state = recorder.state;
  const report = emptyReport();
  let checkDigits = true;
  let lineNumber = 0;
  let pending = 0;
  let failed = false;
  let chain: Promise<void> = Promise.resolve();

  const write = (message: LoadFeedResponse) =>
    writeRespectingBackpressure(call, message) ?? Promise.resolve();

  const processLine = async (number: number, line: string): Promise<void> => {
    // Decided and recorded in one turn of the recorder, so the decision sees every change before it.
    const { decision, events } = await recorder.run(async (record) => {
      const decided = decideFeedLine(state, line, checkDigits);
      if (decided.outcome !== 'changes') return { decision: decided, events: 0 };
      try {
        return { decision: decided, events: await record(decided.changes) };
      } catch (error) {
        // Overtaken by another instance's change: the recorder decides the line again, it is not refused.
        if (error instanceof StaleDecision) throw error;
        const rejected: FeedLineDecision = {
          outcome: 'rejected',
          mpxn: decided.mpxn,
          reason: rejectionReason(error),
        };
        return { decision: rejected, events: 0 };
      }
    });
    countLine(report, number, decision, events);
    await write({ result: { $case: 'line', value: lineResultOf(state, number, decision, events) } });
  };

  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    log.error({ err: error, feed: report.feedId }, 'feed load stopped');
    call.destroy(toServiceError(error) as Error);
  };

  call.on('data', (message: LoadFeedRequest | MalformedMessage) => {
    // An undecodable message is a line that cannot be read: rejected in place, the feed goes on.
    const request: LoadFeedRequest =
      message instanceof MalformedMessage ? { options: undefined, line: '\u0000undecodable' } : message;
    if (lineNumber === 0 && request.options) {
      report.feedId = request.options.feedId;
      checkDigits = !request.options.relaxCheckDigits;
    }
    const number = ++lineNumber;
    pending++;
    if (pending >= FEED_READ_AHEAD) call.pause();
    chain = chain
      .then(() => (failed ? undefined : processLine(number, request.line)))
      .then(() => {
        pending--;
        if (pending < FEED_READ_AHEAD / 2 && call.isPaused()) call.resume();
      })
      .catch(fail);
  });
  call.on('end', () => {
    chain = chain
      .then(async () => {
        if (failed) return;
        log.info({ ...report, rejections: report.rejections.length }, 'feed loaded');
        await write({ result: { $case: 'report', value: report } });
        call.end();
      })
      .catch(fail);
  });
  call.on('error', () => {
    failed = true;
  });
}

/** LoadFeed's answer to one line, once its events are stored. */
function lineResultOf(
  state: RegistrationState,
  lineNumber: number,
  decision: FeedLineDecision,
  events: number,
): FeedLineResult {
  const result: FeedLineResult = {
    lineNumber,
    outcome: FeedLineOutcome.FEED_LINE_OUTCOME_SKIPPED,
    mpxn: '',
    reason: '',
    pointStatus: PointStatus.POINT_STATUS_UNSPECIFIED,
    eventsRecorded: 0,
  };
  if (decision.outcome === 'rejected') {
    return {
      ...result,
      outcome: FeedLineOutcome.FEED_LINE_OUTCOME_REJECTED,
      mpxn: decision.mpxn,
      reason: decision.reason,
    };
  }
  if (decision.outcome === 'skipped') return result;
  return {
    ...result,
    outcome:
      events > 0 ? FeedLineOutcome.FEED_LINE_OUTCOME_APPLIED : FeedLineOutcome.FEED_LINE_OUTCOME_UNCHANGED,
    mpxn: decision.mpxn,
    pointStatus: pointStatus(state.view.describe(state.point(decision.mpxn)).enrolled),
    eventsRecorded: events,
  };
}
