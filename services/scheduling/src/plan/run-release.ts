import { subjects, type DurablePublisher } from '@dcc/bus';
import { ScheduledRun } from '@dcc/proto';
import type { TrtCompliance } from './trt-compliance.js';

/**
 * Hands a run to access control (SCHEDULED_RUNS, message id schedule id and period: a run released twice is
 * one) and counts it for TRT compliance unless the stream already held it.
 */
export class RunRelease {
  constructor(
    private readonly publisher: DurablePublisher,
    readonly compliance: TrtCompliance,
    private readonly clock: () => number,
  ) {}

  async release(run: ScheduledRun): Promise<void> {
    const ack = await this.publisher.publish(
      subjects.scheduledRun,
      ScheduledRun,
      run,
      `${run.dspScheduleId}:${run.period}`,
    );
    if (!ack.duplicate) this.compliance.record(run, this.clock());
  }
}
