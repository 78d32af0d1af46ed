import { DccError } from '@dcc/domain';
import type { FeedRejection, LoadFeedChunksRequest, LoadFeedChunksResponse } from '@dcc/proto';
import { MalformedMessage, toServiceError, writeRespectingBackpressure, type Logger } from '@dcc/service-kit';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { countLine, decideFeedLine, emptyReport } from './feed-line.js';
import type { Recorder } from './recorder.js';

/** Chunks received and not yet answered before the call stops reading (backpressure). */
const CHUNKS_AHEAD = 4;
/** Most lines one chunk may carry (a chunk is decided in one turn of the recorder). */
export const MAX_CHUNK_LINES = 10_000;

/**
 * LoadFeedChunks: LoadFeed for a whole estate. Lines are numbered across chunks as LoadFeed numbers them and
 * each is decided exactly as LoadFeed decides it (decideFeedLine), in order, each seeing the lines before it.
 * A chunk's events are stored as a few batch messages (Recorder.batch), so the record costs one PubAck per
 * thousands of events instead of one per event; the chunk is answered with the feed's progress only once they
 * are stored, and while they are in flight the next chunk is decided. The call ends with LoadFeed's report.
 */
export function loadFeedChunks(
  call: ServerDuplexStream<LoadFeedChunksRequest, LoadFeedChunksResponse>,
  deps: { recorder: Recorder; log: Logger },
): void {
  const { recorder, log } = deps;
  const state = recorder.state;
  const report = emptyReport();
  let checkDigits = true;
  let lineNumber = 0;
  let chunks = 0;
  let pending = 0;
  let failed = false;
  /** Chunks decided in order; answers written in the same order, each after its chunk is stored. */
  let decisions: Promise<unknown> = Promise.resolve();
  let answers: Promise<unknown> = Promise.resolve();

  const write = (message: LoadFeedChunksResponse) =>
    writeRespectingBackpressure(call, message) ?? Promise.resolve();

  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    log.error({ err: error, feed: report.feedId }, 'bulk feed load stopped');
    call.destroy(toServiceError(error) as Error);
  };

  const decideChunk = async (chunk: number, lines: readonly string[]) => {
    const { result: rejections, stored } = await recorder.batch((apply) => {
      const chunkRejections: FeedRejection[] = [];
      for (const line of lines) {
        const number = ++lineNumber;
        const decision = decideFeedLine(state, line, checkDigits);
        const events = decision.outcome === 'changes' ? decision.changes.length : 0;
        if (decision.outcome === 'changes') apply(decision.changes);
        countLine(report, number, decision, events);
        if (decision.outcome === 'rejected')
          chunkRejections.push({ lineNumber: number, reason: decision.reason });
      }
      return chunkRejections;
    });
    // The counts as they stand after this chunk (later chunks may be decided before it is stored).
    const progress = {
      chunk,
      lines: report.lines,
      applied: report.applied,
      unchanged: report.unchanged,
      rejected: report.rejected,
      eventsRecorded: report.eventsRecorded,
      rejections,
    };
    answers = answers
      .then(() => stored)
      .then(() => (failed ? undefined : write({ result: { $case: 'progress', value: progress } })))
      .then(() => {
        pending--;
        if (pending < CHUNKS_AHEAD && call.isPaused()) call.resume();
      });
    answers.catch(fail);
  };

  call.on('data', (message: LoadFeedChunksRequest | MalformedMessage) => {
    if (failed) return;
    // A chunk that cannot be read leaves the line numbering unknown from there on: the feed stops.
    if (message instanceof MalformedMessage) return fail(message.error());
    const chunk = ++chunks;
    if (chunk === 1 && message.options) {
      report.feedId = message.options.feedId;
      checkDigits = !message.options.relaxCheckDigits;
    }
    if (message.lines.length > MAX_CHUNK_LINES) {
      return fail(DccError.invalidArgument(`a chunk carries at most ${MAX_CHUNK_LINES} lines`));
    }
    pending++;
    if (pending >= CHUNKS_AHEAD) call.pause();
    decisions = decisions.then(() => (failed ? undefined : decideChunk(chunk, message.lines))).catch(fail);
  });
  call.on('end', () => {
    decisions = decisions
      .then(() => answers)
      .then(async () => {
        if (failed) return;
        log.info({ ...report, rejections: report.rejections.length, chunks }, 'bulk feed loaded');
        await write({ result: { $case: 'report', value: report } });
        call.end();
      })
      .catch(fail);
  });
  call.on('error', () => {
    failed = true;
  });
}
