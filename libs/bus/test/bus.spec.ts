import { DccError, GrpcStatus } from '@dcc/domain';
import { ServiceRequest } from '@dcc/proto';
import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DurableConsumer,
  DurablePublisher,
  ensureStream,
  outboundOf,
  publishEvent,
  Requester,
  requestTyped,
  Responder,
  subscribeEvents,
} from '../src/index.js';

let server: NatsServer;
let nc: NatsConnection;
let requester: Requester;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  requester = new Requester(nc, { timeoutMs: 500 });
});

afterAll(async () => {
  requester.close();
  await nc.close();
  await server.stop();
});

const sample = (counter: number): ServiceRequest => ({
  requestId: `90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:${counter}`,
  commandVariant: 1,
  serviceReferenceVariant: '4.1.1',
  userRole: 1,
  body: undefined,
});

describe('Requester and Responder', () => {
  it('carries typed requests and replies, many in flight at once', async () => {
    const responder = new Responder(nc, {
      subject: 'test.echo',
      request: ServiceRequest,
      response: ServiceRequest,
      handle: (r) => ({ ...r, commandVariant: r.commandVariant + 1 }),
    });
    const replies = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        requestTyped(requester, 'test.echo', { codec: ServiceRequest, message: sample(i) }, ServiceRequest),
      ),
    );
    expect(replies.map((r) => r.requestId)).toEqual(
      Array.from({ length: 2_000 }, (_, i) => sample(i).requestId),
    );
    expect(replies.every((r) => r.commandVariant === 2)).toBe(true);
    expect(requester.inFlight).toBe(0);
    await responder.drain();
  });

  it('returns the handler’s DccError to the caller with status and DUIS code', async () => {
    const responder = new Responder(nc, {
      subject: 'test.reject',
      request: ServiceRequest,
      response: ServiceRequest,
      handle: () => {
        throw DccError.duis('E19', 'no such device');
      },
    });
    const error = await requestTyped(
      requester,
      'test.reject',
      { codec: ServiceRequest, message: sample(1) },
      ServiceRequest,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DccError);
    expect(error).toMatchObject({
      status: GrpcStatus.NOT_FOUND,
      responseCode: 'E19',
      message: 'E19: no such device',
    });
    await responder.drain();
  });

  it('answers undecodable bytes with INVALID_ARGUMENT and keeps serving', async () => {
    const responder = new Responder(nc, {
      subject: 'test.strict',
      request: ServiceRequest,
      response: ServiceRequest,
      handle: (r) => r,
    });
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const error = await requester.request('test.strict', garbage).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    expect((error as Error).message).toMatch(/malformed request on test.strict/);
    const ok = await requestTyped(
      requester,
      'test.strict',
      { codec: ServiceRequest, message: sample(7) },
      ServiceRequest,
    );
    expect(ok.requestId).toBe(sample(7).requestId);
    await responder.drain();
  });

  it('fails fast with UNAVAILABLE when nobody listens, and with DEADLINE_EXCEEDED when nobody answers', async () => {
    await expect(requester.request('test.nobody', new Uint8Array())).rejects.toMatchObject({
      status: GrpcStatus.UNAVAILABLE,
    });
    const silent = nc.subscribe('test.silent', { callback: () => undefined });
    const started = Date.now();
    await expect(requester.request('test.silent', new Uint8Array(), undefined, 200)).rejects.toMatchObject({
      status: GrpcStatus.DEADLINE_EXCEEDED,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    silent.unsubscribe();
  });
});

describe('DurablePublisher and DurableConsumer', () => {
  it('stores before acknowledging, detects duplicates, and redelivers what a handler failed', async () => {
    await ensureStream(nc, { name: 'TEST_WORK', subjects: ['test.work.>'] });
    const publisher = new DurablePublisher(requester);
    const first = await publisher.publish('test.work.a', ServiceRequest, sample(1), 'id-1');
    expect(first).toMatchObject({ stream: 'TEST_WORK', duplicate: false });
    const again = await publisher.publish('test.work.a', ServiceRequest, sample(1), 'id-1');
    expect(again.duplicate).toBe(true);
    await publisher.publish('test.work.b', ServiceRequest, sample(2), 'id-2');

    const seen: string[] = [];
    let failOnce = true;
    const consumer = await DurableConsumer.start(nc, {
      stream: 'TEST_WORK',
      durable: 'test-worker',
      filterSubject: 'test.work.>',
      codec: ServiceRequest,
      what: 'test work',
      handle: async (r) => {
        if (r.requestId.endsWith(':2') && failOnce) {
          failOnce = false;
          throw DccError.unavailable('transient');
        }
        seen.push(r.requestId);
      },
    });
    await waitFor('both messages handled', () => seen.length === 2);
    expect(seen.sort()).toEqual([sample(1).requestId, sample(2).requestId]);
    await consumer.drain();
  });

  it('refuses to publish to a subject no stream captures', async () => {
    const publisher = new DurablePublisher(requester);
    await expect(publisher.publish('test.unstored', ServiceRequest, sample(1))).rejects.toMatchObject({
      status: GrpcStatus.UNAVAILABLE,
    });
  });
});

describe('typed events', () => {
  it('delivers decoded events to every subscriber and reports undecodable ones', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const errors: string[] = [];
    const subscribe = (into: string[]) =>
      subscribeEvents(nc, {
        subject: 'dcc.evt.test.>',
        codec: ServiceRequest,
        handle: (event) => void into.push(event.requestId),
        onError: (error) => errors.push((error as Error).message),
      });
    const subs = [subscribe(a), subscribe(b)];
    await nc.flush();
    publishEvent(nc, 'dcc.evt.test.one', ServiceRequest, sample(1));
    nc.publish('dcc.evt.test.bad', new Uint8Array([0xff, 0xff, 0xff]));
    await waitFor('both subscribers', () => a.length === 1 && b.length === 1 && errors.length === 2);
    expect(a).toEqual([sample(1).requestId]);
    expect(errors[0]).toMatch(/malformed event on dcc.evt.test.bad/);
    subs.forEach((s) => s.unsubscribe());
  });
});

describe("requests through the connection's outbound batch", () => {
  it('is one per connection, and requests through it arrive in the order they were made', async () => {
    expect(outboundOf(nc)).toBe(outboundOf(nc));
    const seen: number[] = [];
    const sub = nc.subscribe('ordered.echo', {
      callback: (_e, msg) => {
        seen.push(msg.data[0]!);
        msg.respond(msg.data);
      },
    });
    try {
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) => requester.request('ordered.echo', Uint8Array.of(i % 256))),
      );
      expect(replies.map((r) => r.data[0])).toEqual(Array.from({ length: 200 }, (_, i) => i % 256));
      expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i % 256));
    } finally {
      sub.unsubscribe();
    }
  });

  it('a request whose publish fails is refused UNAVAILABLE, not left to time out', async () => {
    const other = await connect({ servers: server.url });
    const closing = new Requester(other, { timeoutMs: 60_000 });
    const pending = closing.request('nobody.listens', new Uint8Array(1));
    await other.close(); // before the batch runs: the publish throws
    await expect(pending).rejects.toMatchObject({ status: GrpcStatus.UNAVAILABLE });
    closing.close();
  });
});
