// Telemetry first: providers must be installed before the services' modules load.
import { counterValue, spans } from './telemetry-setup.js';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import type { ServiceRequest, ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const meter = (i: number) =>
  `00-DB-12-00-00-00-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase();

let hub: LocalHub;
let client: HubClient;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({ meters: 1_000 });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client.close();
  await hub.stop();
});

describe('4.1.1 Read Instantaneous Import Registers, end to end', () => {
  it('unary: I99 on submit, then I0 with register values on the Responses stream', async () => {
    const request = readImportRegisters(SUPPLIER, meter(42), 1_000);
    const ack = await client.submit(request);
    expect(ack).toEqual({ requestId: request.requestId, responseCode: 'I99', statusCode: 0, detail: '' });

    const response = await waitFor('the I0 response', () => received.get(request.requestId));
    expect(response.responseCode).toBe('I0');
    expect(response.responseId).toBe(`${meter(42)}:${SUPPLIER}:1000`);
    expect(response.serviceReferenceVariant).toBe('4.1.1');
    expect(response.body?.$case).toBe('importRegisters');
    if (response.body?.$case !== 'importRegisters') return;
    const registers = response.body.value;
    expect(registers.totalActiveImportWh).toBeGreaterThan(0);
    expect(registers.touActiveImportWh).toHaveLength(2);
    expect(Math.abs(registers.meterTimeMs - Date.now())).toBeLessThan(10_000);
  });

  it('streamed: every request acknowledged in order, every one answered once', async () => {
    const requests = Array.from({ length: 500 }, (_, i) =>
      readImportRegisters(SUPPLIER, meter(i), 2_000 + i),
    );
    const acks = await client.submitStream(requests);
    expect(acks.map((a) => a.requestId)).toEqual(requests.map((r) => r.requestId));
    expect(acks.every((a) => a.responseCode === 'I99')).toBe(true);
    await waitFor('500 responses', () =>
      requests.every((r) => received.get(r.requestId)?.responseCode === 'I0'),
    );
  });

  it('reads are deterministic per meter: two reads of one meter never go backwards', async () => {
    const first = readImportRegisters(SUPPLIER, meter(7), 5_000);
    const second = readImportRegisters(SUPPLIER, meter(7), 5_001);
    await client.submit(first);
    await client.submit(second);
    const [a, b] = await waitFor('both reads', () => {
      const x = received.get(first.requestId);
      const y = received.get(second.requestId);
      return x && y ? [x, y] : undefined;
    });
    const registers = (r: ServiceResponse) =>
      r.body?.$case === 'importRegisters' ? r.body.value.totalActiveImportWh : Number.NaN;
    const wa = registers(a);
    const wb = registers(b);
    expect(wb).toBeGreaterThanOrEqual(wa);
  });

  it('one trace covers gateway, NATS hops, adapter and meter actor', async () => {
    spans.reset();
    const request = readImportRegisters(SUPPLIER, meter(99), 9_000);
    await client.submit(request);
    await waitFor('the response', () => received.get(request.requestId));
    const finished = await waitFor('the adapter to finish its spans', () => {
      const all = spans.getFinishedSpans();
      return all.filter((s) => s.name === 'meter command process').length > 0 ? all : undefined;
    });
    const gateway = finished.find((s) => s.name === 'dcc.v1.ServiceRequestsService/Submit')!;
    expect(gateway.kind).toBe(SpanKind.SERVER);
    const traceId = gateway.spanContext().traceId;
    const inTrace = finished.filter((s) => s.spanContext().traceId === traceId);
    const kinds = (name: string) => inTrace.filter((s) => s.name === name).map((s) => s.kind);
    expect(kinds('dcc.meter publish')).toContain(SpanKind.PRODUCER);
    expect(kinds('meter command process')).toContain(SpanKind.CONSUMER);
    expect(kinds('meter execute')).toContain(SpanKind.INTERNAL);
    expect(kinds('dcc.resp publish')).toContain(SpanKind.PRODUCER);
    // Every span of the trace hangs off the gateway span: the chain is unbroken.
    const ids = new Set(inTrace.map((s) => s.spanContext().spanId));
    for (const s of inTrace.filter((s) => s !== gateway)) {
      expect(ids.has(s.parentSpanContext!.spanId)).toBe(true);
    }
  });

  it('counts submissions by outcome and commands by response code', async () => {
    const before = await counterValue('dcc.requests.submitted', { 'dcc.srv': '4.1.1', 'dcc.outcome': 'I99' });
    const refusedBefore = await counterValue('dcc.requests.submitted', { 'dcc.outcome': 'E19' });
    const executedBefore = await counterValue('dcc.meter.commands', { 'dcc.response_code': 'I0' });
    const request = readImportRegisters(SUPPLIER, meter(3), 11_000);
    await client.submit(request);
    await client
      .submit(readImportRegisters(SUPPLIER, '00-DB-12-00-00-00-FF-FF', 11_001))
      .catch(() => undefined);
    await waitFor('the response', () => received.get(request.requestId));
    expect(await counterValue('dcc.requests.submitted', { 'dcc.srv': '4.1.1', 'dcc.outcome': 'I99' })).toBe(
      before + 1,
    );
    expect(await counterValue('dcc.requests.submitted', { 'dcc.outcome': 'E19' })).toBe(refusedBefore + 1);
    await waitFor(
      'the command counted',
      async () =>
        (await counterValue('dcc.meter.commands', { 'dcc.response_code': 'I0' })) >= executedBefore + 1,
    );
  });
});

// A meter takes a User's RequestIDs only with strictly rising counters, so requests of one User to one device
// that are in flight together must be stored in the order they arrived, whatever each one's checks cost.
/** Every request answered I0: a refusal here names the counter the meter found out of order. */
async function expectAllExecuted(requests: ServiceRequest[]): Promise<void> {
  await waitFor(`${requests.length} answers`, () => requests.every((r) => received.has(r.requestId)), 60_000);
  const refused = requests
    .map((r) => received.get(r.requestId)!)
    .filter((response) => response.responseCode !== 'I0')
    .map((response) => `${response.requestId}: ${response.responseCode} ${response.detail ?? ''}`);
  expect(refused).toEqual([]);
}

describe('arrival order per User and device', () => {
  it('a stream of requests to one device, mixed with requests to many others, is executed in full', async () => {
    const requests: ServiceRequest[] = [];
    for (let i = 0; i < 300; i++) {
      // Requests to fresh devices take the inventory's slower path; the busy device's take the quick one.
      requests.push(readImportRegisters(SUPPLIER, meter(500), 10_000 + i));
      requests.push(readImportRegisters(SUPPLIER, meter(600 + (i % 300)), 10_000 + i));
    }
    const acks = await client.submitStream(requests);
    expect(acks.filter((a) => a.responseCode !== 'I99')).toEqual([]);
    await expectAllExecuted(requests);
  });

  it('unary requests to one device sent together are executed in full', async () => {
    const requests = Array.from({ length: 100 }, (_, i) =>
      readImportRegisters(SUPPLIER, meter(501), 20_000 + i),
    );
    const acks = await Promise.all(requests.map((r) => client.submit(r)));
    expect(acks.filter((a) => a.responseCode !== 'I99')).toEqual([]);
    await expectAllExecuted(requests);
  });
});
