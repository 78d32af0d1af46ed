import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const ECHO_SUBJECT = 'bench.echo';
/** About the size of a small hub message. */
export const PAYLOAD = new Uint8Array(60).fill(0x2a);

export interface NatsEcho {
  server: NatsServer;
  /** The requesting side's connection (client defaults, as shipped). */
  client: NatsConnection;
  close(): Promise<void>;
}

/** A real nats-server with an echo responder on its own connection (a plain `nc.subscribe`). */
export async function startNatsEcho(): Promise<NatsEcho> {
  const echo = await echoOn(await startNatsServer());
  return {
    ...echo,
    async close() {
      await echo.close();
      await echo.server.stop();
    },
  };
}

/**
 * An echo responder and a requesting connection on a server that is already running (the benchmarks that
 * measure a product path and the ceiling on the same server); `close` leaves the server running.
 */
export async function echoOn(server: NatsServer): Promise<NatsEcho> {
  const responder = await connect({ servers: server.url, name: 'bench-echo-responder' });
  responder.subscribe(ECHO_SUBJECT, {
    callback: (_error, msg) => {
      msg.respond(msg.data);
    },
  });
  const client = await connect({ servers: server.url, name: 'bench-requester' });
  await responder.flush();
  return {
    server,
    client,
    async close() {
      await client.drain();
      await responder.drain();
    },
  };
}
