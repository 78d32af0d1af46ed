// Registration ingest at national scale: a deterministic estate feed (the demonstration estate's mix, generated
// line by line, never held in memory) loaded through the real gRPC API (LoadFeedChunks, mutual TLS as the
// development operator) into a real registration service process on a real nats-server; then
// `dcc.registration.authorise` lookups of random loaded devices over NATS. Writes
// loadtest/results/ingest-latest.json and the "Registration ingest at national scale" section of
// docs/performance.md.
import { subjects } from '@dcc/bus';
import {
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
  RegistrationBulkServiceClient,
  UserRole,
  type FeedReport,
  type LoadFeedChunksResponse,
} from '@dcc/proto';
import { demonstrationEstate, estateFeedLines, estatePremises } from '@dcc/registry';
import { freePort, healthCheck, startNatsServer, startServiceProcess, waitFor } from '@dcc/testkit';
import { connect } from '@nats-io/transport-node';
import { natsUsage, settledNatsUsage } from '../night/nats-footprint.ts';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LatencyRecorder } from '../latency-recorder.js';
import { machineFacts } from '../machine.js';
import { layoutAt } from './layout.js';
import { operatorTls } from './operator-tls.js';
import { cpuSeconds, rssBytes } from './proc.js';
import { writeIngestSection, type IngestResults } from './ingest-report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The development supplier and network operator, as in the estate `npm start` loads. */
const PARTIES = { supplier: '90-B3-D5-1F-30-01-00-00', networkOperator: '90-B3-D5-1F-30-02-00-00' };
const POINTS = Number(process.env.INGEST_POINTS ?? 30_000_000);
const CHUNK_LINES = Number(process.env.INGEST_CHUNK_LINES ?? 2_000);
/** Chunks sent and not yet answered: enough to keep the service busy while a chunk's batch is stored. */
const IN_FLIGHT = 8;
const LOOKUPS = Number(process.env.INGEST_LOOKUPS ?? 20_000);
/** Stop sending after this long (the run then reports how far it got); unlimited by default. */
const MAX_SECONDS = Number(process.env.INGEST_MAX_SECONDS ?? Infinity);

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = loadavg()[0]!;
  const nats = await startNatsServer();
  const natsFresh = natsUsage(nats.storeDir);
  const port = await freePort();
  const tls = await operatorTls();
  const service = startServiceProcess('services/registration/src/main.ts', {
    NATS_URL: nats.url,
    GRPC_PORT: String(port),
    LOG_LEVEL: 'warn',
    REGISTRY_CAPACITY: String(Math.ceil(POINTS * 1.01)),
    ...tls.env,
  });
  const credentials = tls.client;
  try {
    await waitFor(
      'registration to serve',
      () => healthCheck(`127.0.0.1:${port}`, '', credentials).catch(() => undefined),
      120_000,
      200,
    );
    const pid = service.child.pid!;
    const idle = { rss: rssBytes(pid), cpu: cpuSeconds(pid) };
    console.log(
      `registration up (pid ${pid}, RSS ${mib(idle.rss)} MiB); loading ${POINTS.toLocaleString('en-GB')} points`,
    );

    const client = new RegistrationBulkServiceClient(`127.0.0.1:${port}`, credentials, {
      'grpc.max_send_message_length': 16 * 1024 * 1024,
    });
    const t0 = performance.now();
    const report = await load(client, pid, t0);
    const seconds = (performance.now() - t0) / 1000;
    client.close();
    const loaded = { rss: rssBytes(pid), cpu: cpuSeconds(pid) };
    console.log(`loaded in ${seconds.toFixed(1)} s; RSS ${mib(loaded.rss)} MiB`);

    const lookups = await lookupLatency(nats.url, report.lines);
    // What the record itself costs nats-server, without the load's caches and duplicate windows.
    const natsLoaded = natsUsage(nats.storeDir);
    await nats.restart();
    const natsRestarted = await settledNatsUsage(nats.storeDir);
    const results: IngestResults = {
      measuredAt: started.toISOString(),
      machine: machineFacts(),
      points: POINTS,
      chunkLines: CHUNK_LINES,
      report: { ...report, rejections: report.rejections.slice(0, 10) },
      seconds,
      linesPerSecond: report.lines / seconds,
      registrationCpuSeconds: loaded.cpu - idle.cpu,
      rssIdleBytes: idle.rss,
      rssLoadedBytes: loaded.rss,
      nats: { fresh: natsFresh, loaded: natsLoaded, restarted: natsRestarted },
      lookups,
      loadAverage: { before: loadBefore, after: loadavg()[0]!, note: process.env.INGEST_NOTE ?? '' },
      layout: layoutAt(POINTS),
    };
    writeFileSync(`${ROOT}loadtest/results/ingest-latest.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeIngestSection(`${ROOT}docs/performance.md`, results);
    console.log(JSON.stringify({ ...results, machine: undefined }, null, 2));
  } finally {
    service.child.kill('SIGTERM');
    await Promise.race([service.exited, new Promise((r) => setTimeout(r, 30_000))]);
    await nats.stop();
  }
}

/** Streams the feed in chunks, at most IN_FLIGHT unanswered, and resolves with the report. */
function load(client: RegistrationBulkServiceClient, pid: number, t0: number): Promise<FeedReport> {
  const lines = estateFeedLines(demonstrationEstate(POINTS, PARTIES));
  const stream = client.loadFeedChunks();
  let sent = 0;
  let answered = 0;
  let lastLog = t0;
  let ended = false;
  return new Promise((resolve, reject) => {
    const pump = () => {
      while (sent - answered < IN_FLIGHT && !ended) {
        const chunk: string[] = [];
        for (let n = 0; n < CHUNK_LINES; n++) {
          const next = lines.next();
          if (next.done) break;
          chunk.push(next.value);
        }
        if (chunk.length === 0 || performance.now() - t0 > MAX_SECONDS * 1000) {
          ended = true;
          stream.end();
          return;
        }
        sent++;
        stream.write({
          options: sent === 1 ? { feedId: 'national-estate', relaxCheckDigits: false } : undefined,
          lines: chunk,
        });
      }
    };
    stream.on('data', (response: LoadFeedChunksResponse) => {
      const result = response.result;
      if (result?.$case === 'report') return resolve(result.value);
      if (result?.$case !== 'progress') return;
      answered++;
      const now = performance.now();
      if (now - lastLog > 15_000) {
        lastLog = now;
        const p = result.value;
        const rate = p.lines / ((now - t0) / 1000);
        console.log(
          `${p.lines.toLocaleString('en-GB')} lines, ${Math.round(rate)} lines/s, rejected ${p.rejected}, RSS ${mib(rssBytes(pid))} MiB`,
        );
      }
      pump();
    });
    stream.on('error', reject);
    pump();
  });
}

/** Sequential authorise requests for random loaded meters (ESMEs), as access control asks them. */
async function lookupLatency(url: string, points: number): Promise<IngestResults['lookups']> {
  const nc = await connect({ servers: url });
  const recorder = new LatencyRecorder();
  // Premises as the generator numbers them (two in three have two points): every premises of the estate, and
  // those whose electricity line was loaded (a run stopped early loads a prefix).
  const premisesFor = (lines: number) => {
    let premises = 0;
    for (let counted = 0; counted < lines; premises++) counted += premises % 3 !== 2 ? 2 : 1;
    return premises;
  };
  const total = premisesFor(POINTS);
  const loaded = premisesFor(points);
  const outcomes: Record<string, number> = {};
  let seed = 12345;
  for (let n = 0; n < LOOKUPS; n++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const p = estatePremises(seed % loaded, total);
    const request = AuthoriseRegistrationRequest.encode({
      deviceId: p.esme,
      userId: PARTIES.supplier,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      instantMs: 0,
    }).finish();
    const t = performance.now();
    const reply = await nc.request(subjects.registrationAuthorise, request, { timeout: 5_000 });
    recorder.add(performance.now() - t);
    const code = AuthoriseRegistrationResponse.decode(reply.data).responseCode || 'ok';
    outcomes[code] = (outcomes[code] ?? 0) + 1;
  }
  await nc.close();
  const [p50, p99, max] = recorder.percentiles(50, 99, 100);
  return { count: LOOKUPS, p50Ms: p50!, p99Ms: p99!, maxMs: max!, outcomes };
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
