import { DccError, GrpcStatus } from '@dcc/domain';
import type { FeedReport } from '@dcc/proto';
import type { Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import { isSkippedLine, parseFeedLine } from './feed.js';
import { countFeedLine } from './request-metrics.js';
import type { RegistrationState } from './state.js';

/** What one feed line came to, before its events are stored: both feed RPCs answer from this. */
export type FeedLineDecision =
  | { outcome: 'skipped' }
  | { outcome: 'rejected'; mpxn: string; reason: string }
  | { outcome: 'changes'; mpxn: string; changes: Change[] };

/** A report with nothing counted yet. */
export function emptyReport(feedId = ''): FeedReport {
  return { feedId, lines: 0, applied: 0, unchanged: 0, rejected: 0, eventsRecorded: 0, rejections: [] };
}

/**
 * Parses and checks one line against the record as it stands: the changes it brings (none when it says what
 * the record says), or why it is refused. A failure of the service itself (UNAVAILABLE, INTERNAL) is thrown:
 * it is not the line's fault, and the feed stops.
 */
export function decideFeedLine(
  state: RegistrationState,
  line: string,
  checkDigits: boolean,
): FeedLineDecision {
  if (isSkippedLine(line)) return { outcome: 'skipped' };
  let mpxn = '';
  try {
    const row = parseFeedLine(line, { checkDigits });
    mpxn = row.mpxn;
    return { outcome: 'changes', mpxn, changes: feedRowChanges(state, row) };
  } catch (error) {
    return { outcome: 'rejected', mpxn, reason: rejectionReason(error) };
  }
}

/** The reason a line is rejected, or the error rethrown when it is the service's failure, not the line's. */
export function rejectionReason(error: unknown): string {
  const failure = DccError.from(error);
  if (failure.status === GrpcStatus.UNAVAILABLE || failure.status === GrpcStatus.INTERNAL) throw failure;
  return failure.message;
}

/** Counts a line's outcome in the report (`events`: how many it recorded, for a line that was not refused). */
export function countLine(
  report: FeedReport,
  lineNumber: number,
  decision: FeedLineDecision,
  events: number,
): void {
  report.lines++;
  countFeedLine(decision, events);
  if (decision.outcome === 'rejected') {
    report.rejected++;
    report.rejections.push({ lineNumber, reason: decision.reason });
  } else if (decision.outcome === 'changes') {
    report.eventsRecorded += events;
    if (events > 0) report.applied++;
    else report.unchanged++;
  }
}
