import { DccError } from '@dcc/domain';
import { lazyCounter } from '@dcc/service-kit';
import { status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { FeedLineDecision } from './feed-line.js';

const SCOPE = '@dcc/registration';

/** Requests answered, by RPC (a gRPC method, or the subject of a NATS endpoint) and outcome (the gRPC status name). */
const requests = lazyCounter(SCOPE, 'dcc.registration.requests', {
  description: 'Registration requests answered, by RPC (gRPC method or NATS endpoint) and gRPC status',
});

/** Feed lines read, by what became of them: applied, unchanged (already the record) or rejected. */
const feedLines = lazyCounter(SCOPE, 'dcc.registration.feed_lines', {
  description: 'Registration feed lines read by LoadFeed and LoadFeedChunks, by outcome',
});

/** Writes decided again because another instance's change was stored first (concurrent writers). */
const writeConflicts = lazyCounter(SCOPE, 'dcc.registration.write_conflicts', {
  description: 'Registration writes decided again because another instance stored a change first',
});

export function countWriteConflict(): void {
  writeConflicts.add(1);
}

function count(rpc: string, code: number): void {
  requests.add(1, { 'dcc.rpc': rpc, 'dcc.outcome': grpcStatus[code] ?? String(code) });
}

const statusOf = (error: unknown): number =>
  typeof (error as Partial<ServiceError>).code === 'number'
    ? (error as ServiceError).code
    : DccError.from(error).status;

/** Counts a feed line's outcome (comment and blank lines are not counted). */
export function countFeedLine(decision: FeedLineDecision, events: number): void {
  if (decision.outcome === 'skipped') return;
  const outcome = decision.outcome === 'rejected' ? 'rejected' : events > 0 ? 'applied' : 'unchanged';
  feedLines.add(1, { 'dcc.feed_line_outcome': outcome });
}

/** A NATS endpoint's handler that counts each answer: OK, or the status of the error it replies. */
export function countedEndpoint<Req, Res>(
  rpc: string,
  handle: (request: Req) => Promise<Res> | Res,
): (request: Req) => Promise<Res> {
  return async (request) => {
    try {
      const answer = await handle(request);
      count(rpc, grpcStatus.OK);
      return answer;
    } catch (error) {
      count(rpc, statusOf(error));
      throw error;
    }
  };
}

/** The parts of a grpc-js server call a counted handler touches (unary and streaming calls alike). */
interface CountableCall {
  end?: (...args: never[]) => unknown;
  destroy?: (error?: Error) => unknown;
  emit?: (event: 'error', error: Error) => boolean;
}

/**
 * A gRPC handler that counts its call once, by how it ended: a unary call by its callback, a streaming call
 * by `end` (OK) or by the error it is destroyed with or emits (its status).
 */
export function countedHandler<C extends CountableCall, B>(
  rpc: string,
  handler: (call: C, callback?: B) => void,
): (call: C, callback?: B) => void {
  return (call, callback) => {
    let counted = false;
    const once = (code: number) => {
      if (counted) return;
      counted = true;
      count(rpc, code);
    };
    if (typeof callback === 'function') {
      const answer = callback as unknown as (error: unknown, value?: unknown) => void;
      const countedCallback = (error: unknown, value?: unknown) => {
        once(error ? statusOf(error) : grpcStatus.OK);
        answer(error, value);
      };
      handler(call, countedCallback as unknown as B);
      return;
    }
    const { end, destroy, emit } = call;
    if (end)
      call.end = ((...args: never[]) => {
        once(grpcStatus.OK);
        return end.apply(call, args);
      }) as C['end'];
    if (destroy)
      call.destroy = (error?: Error) => {
        if (error) once(statusOf(error));
        return destroy.call(call, error);
      };
    if (emit)
      call.emit = (event: 'error', error: Error) => {
        if (event === 'error') once(statusOf(error));
        return emit.call(call, event, error);
      };
    handler(call, callback);
  };
}
