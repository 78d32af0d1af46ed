import { streams, subjects, SubjectRecords, type DurablePublisher, type StoredRecord } from '@dcc/bus';
import { DccError, GrpcStatus, parseRequestId, type Eui64, type RequestId } from '@dcc/domain';
import {
  MeterCommand,
  QuarantineRecord,
  QuarantineState,
  ServiceResponse,
  type Acknowledgement,
  type ListQuarantinedResponse,
  type ServiceRequest,
} from '@dcc/proto';
import { lazyCounter, type Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Breach } from './anomaly-detector.js';

/** Most requests one ListQuarantined answer carries. */
export const LIST_LIMIT = 1_000;

const quarantineEvents = lazyCounter('@dcc/access-control', 'dcc.quarantine.events', {
  description: 'Quarantine events by kind (held, released, deleted) and SRV',
});

/** What the intake hands over for a request that breached a threshold. */
export interface Held {
  request: ServiceRequest;
  id: RequestId;
  srv: string;
  /** The command exactly as it would have been published, and where. */
  command: MeterCommand;
  meterMailSubject: string;
}

/**
 * The durable quarantine (QUARANTINE stream, one record per request subject `dcc.quarantine.<user>.<target>.<counter>`).
 *
 * Exactly-once release: Release and Delete first claim the record with a compare-and-set on the subject's last
 * sequence (HELD → RELEASING / DELETING); only one claimer of a HELD record wins, across calls and processes,
 * and the losers get FAILED_PRECONDITION. The winner publishes the command to METER_MAIL with the RequestID as
 * Nats-Msg-Id (as an admitted request is) and then purges the subject, after which further calls get NOT_FOUND.
 * A crash after the claim leaves a RELEASING/DELETING record that `recover()` (at start) completes; the
 * RequestID message id makes a re-publish inside the 10-minute duplicate window a no-op.
 */
export class Quarantine {
  private readonly records: SubjectRecords<QuarantineRecord>;

  constructor(
    nc: NatsConnection,
    private readonly publisher: DurablePublisher,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {
    this.records = new SubjectRecords(nc, streams.quarantine.name, QuarantineRecord, 'quarantined request');
  }

  /** Stores the request in quarantine, notifies the User, and returns the acknowledgement it gets (I99). */
  async hold(held: Held, breach: Breach): Promise<Acknowledgement> {
    const requestId = held.request.requestId;
    const reason = breach.reason;
    const record: QuarantineRecord = {
      quarantined: {
        request: held.request,
        userId: held.id.originator,
        quarantinedAtMs: this.clock(),
        reason,
        state: QuarantineState.QUARANTINE_STATE_HELD,
      },
      command: held.command,
      meterMailSubject: held.meterMailSubject,
    };
    const stored = await this.records.put(subjectOf(held.id), record, { messageId: requestId });
    if (stored.duplicate) {
      throw new DccError(GrpcStatus.ALREADY_EXISTS, `RequestID ${requestId} was already accepted`);
    }
    quarantineEvents.add(1, { 'dcc.event': 'held', 'dcc.srv': held.srv, 'dcc.scope': breach.scope });
    this.log.warn({ requestId, userId: held.id.originator, srv: held.srv, reason }, 'request quarantined');
    // The hold is stored: a failed notice must not turn it into an error (a resend would be a duplicate); the
    // acknowledgement says "quarantined" too, and ListQuarantined shows it.
    await this.notify(held.id.originator, requestId, held.srv, 'quarantined', {
      statusCode: GrpcStatus.RESOURCE_EXHAUSTED,
      detail: `quarantined: ${reason}; release or delete it with dcc.v1.QuarantineService`,
    }).catch((error: unknown) => this.log.error({ err: error, requestId }, 'quarantine notice not stored'));
    return {
      requestId,
      responseCode: 'I99',
      statusCode: GrpcStatus.OK,
      detail: `quarantined: ${reason}; not dispatched until released (dcc.v1.QuarantineService)`,
    };
  }

  /** The User's quarantined requests, oldest first. */
  async list(userId: Eui64): Promise<ListQuarantinedResponse> {
    const { records, truncated } = await this.records.list(subjects.userQuarantine(userId), LIST_LIMIT);
    const requests = records
      .map((r) => r.value.quarantined!)
      .sort((a, b) => a.quarantinedAtMs - b.quarantinedAtMs);
    return { requests, truncated };
  }

  /** Dispatches a quarantined request (exactly once) and removes it from quarantine. */
  async release(requestId: string, authenticatedAs?: Eui64): Promise<Acknowledgement> {
    const claimed = await this.claim(requestId, authenticatedAs, QuarantineState.QUARANTINE_STATE_RELEASING);
    return this.completeRelease(claimed);
  }

  /** Removes a quarantined request without executing it, and notifies the User. */
  async delete(requestId: string, authenticatedAs?: Eui64): Promise<void> {
    const claimed = await this.claim(requestId, authenticatedAs, QuarantineState.QUARANTINE_STATE_DELETING);
    await this.completeDelete(claimed);
  }

  /** Completes releases and deletions a crash interrupted (records left RELEASING or DELETING). */
  async recover(): Promise<number> {
    const { records } = await this.records.list('dcc.quarantine.>', Number.MAX_SAFE_INTEGER);
    let completed = 0;
    for (const record of records) {
      const state = record.value.quarantined?.state;
      if (state === QuarantineState.QUARANTINE_STATE_RELEASING) await this.completeRelease(record);
      else if (state === QuarantineState.QUARANTINE_STATE_DELETING) await this.completeDelete(record);
      else continue;
      completed += 1;
    }
    if (completed > 0) this.log.info({ completed }, 'completed interrupted quarantine decisions');
    return completed;
  }

  private async claim(
    requestId: string,
    authenticatedAs: Eui64 | undefined,
    state: QuarantineState,
  ): Promise<StoredRecord<QuarantineRecord>> {
    const id = parseRequestId(requestId);
    if (authenticatedAs && id.originator !== authenticatedAs) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `User ${authenticatedAs} may not act on the quarantined requests of ${id.originator}`,
      );
    }
    const subject = subjectOf(id);
    const current = await this.records.get(subject);
    const quarantined = current?.value.quarantined;
    if (!current || !quarantined) {
      throw new DccError(
        GrpcStatus.NOT_FOUND,
        `request ${requestId} is not in quarantine (never quarantined, or already released or deleted)`,
      );
    }
    if (quarantined.state !== QuarantineState.QUARANTINE_STATE_HELD) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `request ${requestId} is already being ${quarantined.state === QuarantineState.QUARANTINE_STATE_RELEASING ? 'released' : 'deleted'}`,
      );
    }
    const next: QuarantineRecord = { ...current.value, quarantined: { ...quarantined, state } };
    try {
      const stored = await this.records.put(subject, next, { expectedSeq: current.seq });
      return { subject, seq: stored.seq, value: next };
    } catch (error) {
      const failure = DccError.from(error);
      if (failure.status !== GrpcStatus.FAILED_PRECONDITION) throw failure;
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `request ${requestId} was released or deleted by a concurrent call`,
      );
    }
  }

  private async completeRelease(record: StoredRecord<QuarantineRecord>): Promise<Acknowledgement> {
    const { command, meterMailSubject, quarantined } = record.value;
    const requestId = quarantined!.request!.requestId;
    const dispatched: MeterCommand = { ...command!, acceptedAtMs: this.clock() };
    // The same message id as a direct dispatch: a re-publish after a crash is a duplicate the stream drops.
    await this.publisher.publish(meterMailSubject, MeterCommand, dispatched, requestId);
    await this.records.remove(record.subject);
    quarantineEvents.add(1, {
      'dcc.event': 'released',
      'dcc.srv': quarantined!.request!.serviceReferenceVariant,
    });
    this.log.info({ requestId }, 'quarantined request released');
    return { requestId, responseCode: 'I99', statusCode: GrpcStatus.OK, detail: 'released from quarantine' };
  }

  private async completeDelete(record: StoredRecord<QuarantineRecord>): Promise<void> {
    const quarantined = record.value.quarantined!;
    const request = quarantined.request!;
    await this.notify(
      quarantined.userId as Eui64,
      request.requestId,
      request.serviceReferenceVariant,
      'deleted',
      {
        statusCode: GrpcStatus.ABORTED,
        detail: 'deleted from quarantine at the User’s request; it was not executed',
      },
    );
    await this.records.remove(record.subject);
    quarantineEvents.add(1, { 'dcc.event': 'deleted', 'dcc.srv': request.serviceReferenceVariant });
    this.log.info({ requestId: request.requestId }, 'quarantined request deleted');
  }

  /** A notice on the User's Responses stream: no DUIS code, the status and detail say what happened. */
  private async notify(
    userId: Eui64,
    requestId: string,
    srv: string,
    kind: 'quarantined' | 'deleted',
    outcome: { statusCode: number; detail: string },
  ): Promise<void> {
    const notice = ServiceResponse.fromPartial({
      requestId,
      responseId: '',
      responseCode: '',
      serviceReferenceVariant: srv,
      responseDateTimeMs: this.clock(),
      ...outcome,
    });
    await this.publisher.publish(
      subjects.userResponses(userId),
      ServiceResponse,
      notice,
      `${kind}:${requestId}`,
    );
  }
}

function subjectOf(id: RequestId): string {
  return subjects.quarantined(id.originator, id.target, id.counter);
}
