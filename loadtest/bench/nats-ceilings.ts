import { Requester } from '@dcc/bus';
import type { NatsServer } from '@dcc/testkit';
import type { Timing } from './config.js';
import { measure, type BenchSpec, type Measurement } from './measure.js';
import { ECHO_SUBJECT, echoOn, PAYLOAD, type NatsEcho } from './nats-echo.js';

/** The hub's design: one wildcard reply subscription and its own correlation map (@dcc/bus Requester). */
export function natsRequestReply(echo: NatsEcho): BenchSpec & { close(): void } {
  const requester = new Requester(echo.client, { timeoutMs: 10_000 });
  return {
    name: 'nats-request-reply',
    kind: 'ceiling',
    description: 'NATS request/reply, one reply subscription + own correlation (@dcc/bus Requester), echo',
    concurrency: 200,
    op: async () => {
      await requester.request(ECHO_SUBJECT, PAYLOAD);
    },
    close: () => requester.close(),
  };
}

/** The client library's own `request()` with its defaults, for comparison. */
export function natsRequestDefault(echo: NatsEcho): BenchSpec {
  return {
    name: 'nats-request-default',
    kind: 'ceiling',
    description: "NATS request/reply with the client's default nc.request(), echo",
    concurrency: 200,
    op: async () => {
      await echo.client.request(ECHO_SUBJECT, PAYLOAD, { timeout: 10_000 });
    },
  };
}

/** The bare request/reply ceiling measured on a server a product benchmark also runs on (same server, same run). */
export async function natsCeilingOn(server: NatsServer, timing: Timing): Promise<Measurement> {
  const echo = await echoOn(server);
  const spec = natsRequestReply(echo);
  try {
    return await measure(spec, timing);
  } finally {
    spec.close();
    await echo.close();
  }
}
