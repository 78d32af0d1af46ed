import { consumers, streams, subjects } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import type { Logger } from '@dcc/service-kit';
import { jetstreamManager, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const USER_CONSUMER = consumers.userResponsesPrefix;

/** A User's responses that may be removed: those below `before` on its subject. */
export interface Removal {
  userId: string;
  subject: string;
  /** The first stream sequence kept. */
  before: number;
}

/**
 * What every reader of RESPONSES has acknowledged, per User: a User's responses are removed once the User has
 * confirmed them (its `responses-<userId>` consumer acknowledges a response only on confirmation) and every
 * other consumer reading that User's subject (the reporting tally, prepayment's follower of a supplier's 2.2
 * answers) has acknowledged them too. A User that never opened a call has no consumer: nothing of its is removed
 * (its responses wait for it, up to the stream's retention). `required` names readers that must see every
 * response (the reporting tally): while one of them has no consumer yet, nothing is removed, or it would never
 * count what was confirmed before it started. Pure: the consumers as JetStream reports them.
 */
export function removals(infos: readonly ConsumerInfo[], required: readonly string[] = []): Removal[] {
  const names = new Set(infos.map((i) => i.name));
  if (required.some((name) => !names.has(name))) return [];
  const users = infos.filter((i) => i.name.startsWith(USER_CONSUMER));
  const others = infos.filter((i) => !i.name.startsWith(USER_CONSUMER));
  const out: Removal[] = [];
  for (const user of users) {
    const userId = user.name.slice(USER_CONSUMER.length);
    const subject = subjects.userResponses(parseEui64(userId, 'responses consumer'));
    let floor = user.ack_floor.stream_seq;
    for (const other of others)
      if (filtersOf(other).some((filter) => covers(filter, subject)))
        floor = Math.min(floor, other.ack_floor.stream_seq);
    if (floor > 0) out.push({ userId, subject, before: floor + 1 });
  }
  return out;
}

function filtersOf(info: ConsumerInfo): string[] {
  const { filter_subject, filter_subjects } = info.config;
  if (filter_subjects?.length) return filter_subjects;
  return [filter_subject || '>'];
}

/** Whether a NATS subject filter (`*` one token, `>` the rest) matches every message of `subject`. */
export function covers(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return i < s.length;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

/**
 * Removes confirmed responses from RESPONSES (`removals`), every `intervalMs`, with one purge per User whose
 * floor moved: without it a User's confirmed responses stayed on disk for the stream's whole retention (a night
 * of 30 million reads: about 12 GB a day, seven days kept). Every access-control instance runs it; a purge is
 * idempotent. A failed round is logged and the next one tries again.
 */
export class ConfirmedResponses {
  private readonly removed = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;

  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly required: readonly string[],
  ) {}

  /** `required`: the readers that must have read a response before it goes (see `removals`). */
  static async start(
    nc: NatsConnection,
    log: Pick<Logger, 'warn'>,
    options: { intervalMs: number; required: readonly string[] },
  ) {
    const self = new ConfirmedResponses(await jetstreamManager(nc), log, options.required);
    const intervalMs = options.intervalMs;
    self.timer = setInterval(() => void self.prune(), intervalMs);
    self.timer.unref();
    return self;
  }

  /** One round now (the timer runs them every interval); resolves with the responses removed. */
  prune(): Promise<number> {
    const round = (this.round ?? Promise.resolve()).then(() => this.once());
    this.round = round.then(
      () => undefined,
      () => undefined,
    );
    return round.catch((error: unknown) => {
      this.log.warn({ err: error }, 'removing confirmed responses failed; the next round tries again');
      return 0;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  private async once(): Promise<number> {
    const infos: ConsumerInfo[] = [];
    for await (const info of this.jsm.consumers.list(streams.responses.name)) infos.push(info);
    let purged = 0;
    for (const { subject, before } of removals(infos, this.required)) {
      if ((this.removed.get(subject) ?? 0) >= before) continue;
      const result = await this.jsm.streams.purge(streams.responses.name, { filter: subject, seq: before });
      this.removed.set(subject, before);
      purged += result.purged;
    }
    return purged;
  }
}
