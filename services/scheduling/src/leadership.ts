import { PartitionLeases } from '@dcc/actors';
import type { Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { metrics } from '@opentelemetry/api';

/** The KV bucket of the one lease (key `p.0` = the leader's instance id) and the instances' heartbeats. */
export const LEADER_BUCKET = 'scheduling_leader';

export interface LeadershipOptions {
  nc: NatsConnection;
  instanceId: string;
  /** Lease TTL: a leader that dies is replaced after at most about this long plus one renewal period. */
  ttlMs: number;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Resolves once the work started while leading has stopped (the passes in flight). */
  settle: () => Promise<void>;
}

/**
 * Which scheduling instance releases work: one lease in JetStream KV (libs/actors PartitionLeases with a single
 * partition): claimed with a create that succeeds only while the key is absent, renewed with a revision-checked
 * update every ttl/5, expired by the server after its TTL when the leader dies, deleted when it drains. The
 * leader stops acting a margin before the server can expire its lease (its own monotonic clock), so two never
 * release at once; the standby claims on its next renewal round after the key is gone. Work done across a
 * hand-over is still deduplicated by the schedule's record and the run's message id: the lease keeps the work
 * (and the plan's rates) single, the records keep it correct.
 */
export class Leadership {
  private leading = false;
  private leases: PartitionLeases | undefined;
  private unobserve = () => undefined as void;

  private constructor(private readonly options: LeadershipOptions) {}

  static async start(options: LeadershipOptions): Promise<Leadership> {
    const self = new Leadership(options);
    self.leases = await PartitionLeases.start({
      nc: options.nc,
      instanceId: options.instanceId,
      partitions: 1,
      bucket: LEADER_BUCKET,
      ttlMs: options.ttlMs,
      onAcquired: () => self.acquired(),
      onLost: (_partition, graceful) => self.lost(graceful),
      onError: (error) => options.log.warn({ err: error }, 'scheduling leader lease'),
    });
    self.unobserve = observeLeader(() => self.leads());
    return self;
  }

  /** Whether this instance may release work now: it holds the lease and is inside its deadline. */
  leads(): boolean {
    return this.leading && (this.leases?.holds(0) ?? false);
  }

  /** Drain: stop leading (the passes in flight end first) and delete the lease, so the standby takes over now. */
  async stop(): Promise<void> {
    this.unobserve();
    await this.leases?.stop();
  }

  private acquired(): Promise<void> {
    this.leading = true;
    this.options.log.info(
      { instance: this.options.instanceId },
      'scheduling leader: releasing schedules and held requests',
    );
    return Promise.resolve();
  }

  /** The lease is deleted (a drain) only after this resolves: the passes in flight finish first. */
  private async lost(graceful: boolean): Promise<void> {
    this.leading = false;
    await this.options.settle();
    this.options.log.info(
      { instance: this.options.instanceId, graceful },
      'scheduling standby: not the leader',
    );
  }
}

/** `dcc_scheduling_leader`: 1 on the instance that releases work, 0 on a standby. */
function observeLeader(leads: () => boolean): () => void {
  const meter = metrics.getMeter('@dcc/scheduling');
  const gauge = meter.createObservableGauge('dcc.scheduling.leader', {
    description: 'Whether this scheduling instance holds the lease and releases schedules and held requests',
  });
  const observe = (result: { observe(value: number): void }) => result.observe(leads() ? 1 : 0);
  gauge.addCallback(observe);
  return () => gauge.removeCallback(observe);
}
