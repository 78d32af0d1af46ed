import type { ProcessHub, ServiceName } from './process-hub.js';
import type { UserProcess } from './user-process.js';

/** What a scenario may touch while the load runs. */
export interface FaultContext {
  hub: ProcessHub;
  /** The User's current reader process; `replaceUser` starts a fresh one (the User's client restarted). */
  user(): UserProcess;
  replaceUser(): void;
  /** How long a pause (SIGSTOP) lasts: longer than NATS takes to find a silent client stale (~3 s). */
  pauseMs: number;
}

export interface Scenario {
  name: string;
  /**
   * Whether a second delivery of the same response is explained by this failure: the hub's responses are
   * delivered at least once, with the ResponseID to de-duplicate, when a crash cuts a delivery short (a client
   * or access control dying mid-stream, nats-server losing its in-memory acknowledgement state).
   */
  redeliveryExplained: boolean;
  inject(ctx: FaultContext): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function killAndRestart(name: ServiceName, redeliveryExplained: boolean): Scenario {
  return {
    name: `kill -9 ${name}`,
    redeliveryExplained,
    async inject({ hub }) {
      await hub.services[name].kill();
      await hub.services[name].start();
    },
  };
}

function partition(name: ServiceName): Scenario {
  return {
    name: `partition ${name} from NATS (SIGSTOP)`,
    redeliveryExplained: false,
    async inject({ hub, pauseMs }) {
      hub.services[name].pause();
      await sleep(pauseMs);
      hub.services[name].resume();
    },
  };
}

export const SCENARIOS: Record<string, Scenario> = {
  'access-control': killAndRestart('access-control', true),
  adapter: killAndRestart('smets2-adapter', false),
  registration: killAndRestart('registration', false),
  nats: {
    name: 'kill -9 nats-server and restart',
    redeliveryExplained: true,
    async inject({ hub }) {
      await hub.nats.restart();
    },
  },
  client: {
    name: 'client stopped (SIGSTOP), then killed',
    redeliveryExplained: true,
    async inject(ctx) {
      ctx.user().pause();
      await sleep(ctx.pauseMs);
      await ctx.user().kill();
      ctx.replaceUser();
    },
  },
  'partition-adapter': partition('smets2-adapter'),
  'partition-access-control': partition('access-control'),
};
