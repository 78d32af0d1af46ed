import { performance } from 'node:perf_hooks';
import { decode, DurablePublisher, type Requester, subjects, type MeterPath } from '@dcc/bus';
import { eui64FromBigInt, partitionOf, type Eui64 } from '@dcc/domain';
import {
  MeterCommand,
  RegistrationCspRegion,
  RegistrationSmets1Cohort,
  ServiceResponse,
  UserRole,
} from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import { LatencyRecorder } from '../latency-recorder.js';

const DAY_MS = 86_400_000;
const COMMAND_TIMEOUT_MS = 60_000;
/** Device ids of the benchmark's meters: SMETS2 from 00-DB-12-…, SMETS1 from 00-DB-11-… (any EUI-64 routes). */
const BASES: Record<MeterPath, bigint> = { s2: 0x00db_1200_0000_0000n, s1: 0x00db_1100_0000_0000n };
const REGIONS = [
  RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_CENTRAL,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH,
];
const COHORTS = [
  RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_IOC,
  RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_MOC,
  RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_FOC,
];

export interface PassResult {
  reads: number;
  seconds: number;
  readsPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  responseCodes: Record<string, number>;
  /** CPU used meanwhile (ms), by process name. */
  cpuMs: Record<string, number>;
}

/**
 * 4.8.1 profile reads of the previous day, each put durably on METER_MAIL exactly as access control stores an
 * accepted request (with the inventory's facts: a SMETS1 meter's cohort and type, a SMETS2 meter's CSP region
 * and type; meters in turn over the cohorts or regions), and complete when its ServiceResponse arrives on a core
 * subscription to `dcc.resp.>`.
 */
export class ProfileReads {
  private readonly pending = new Map<string, (r: ServiceResponse) => void>();
  private readonly publisher: DurablePublisher;
  private counter = 0;
  readonly yesterday: { startMs: number; endMs: number };

  constructor(
    private readonly nc: NatsConnection,
    requester: Requester,
    private readonly partitions: number,
  ) {
    this.publisher = new DurablePublisher(requester);
    const today = Date.now() - (Date.now() % DAY_MS);
    this.yesterday = { startMs: today - DAY_MS, endMs: today };
    nc.subscribe('dcc.resp.>', {
      callback: (_error, msg) => {
        const response = decode(ServiceResponse, msg.data, 'service response');
        const done = this.pending.get(response.requestId);
        this.pending.delete(response.requestId);
        done?.(response);
      },
    });
  }

  ready(): Promise<void> {
    return this.nc.flush();
  }

  static deviceId(path: MeterPath, n: number): Eui64 {
    return eui64FromBigInt(BASES[path] + BigInt(n));
  }

  /** One read of meter `n` on `path` by `userId`; resolves with its response code. */
  async read(path: MeterPath, n: number, userId: string, role: UserRole): Promise<string> {
    const deviceId = ProfileReads.deviceId(path, n);
    const requestId = `${userId}:${deviceId}:${++this.counter}`;
    const command: MeterCommand = {
      request: {
        requestId,
        commandVariant: 1,
        serviceReferenceVariant: '4.8.1',
        userRole: role,
        body: { $case: 'readActiveImportProfileData', value: { period: this.yesterday } },
      },
      userId,
      deviceId,
      acceptedAtMs: Date.now(),
      deviceType: 'ESME',
      ...(path === 's1' ? { smets1Cohort: COHORTS[n % 3] } : { cspRegion: REGIONS[n % 3] }),
    };
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<ServiceResponse>((resolve, reject) => {
      this.pending.set(requestId, resolve);
      timer = setTimeout(() => reject(new Error(`no response to ${requestId}`)), COMMAND_TIMEOUT_MS);
    });
    try {
      const subject = subjects.meterMail(path, partitionOf(deviceId, this.partitions), deviceId);
      await this.publisher.publish(subject, MeterCommand, command);
      const response = await answered;
      return response.responseCode || `status ${response.statusCode}`;
    } finally {
      this.pending.delete(requestId);
      clearTimeout(timer);
    }
  }

  /**
   * Reads meters 0 … count-1 once each, `inFlight` at a time (closed loop), and reports the pass; `cpu` samples
   * the CPU time of the processes that matter (adapter, nats-server) before and after.
   */
  async pass(
    path: MeterPath,
    count: number,
    userId: string,
    role: UserRole,
    inFlight: number,
    cpu: () => Record<string, number>,
  ): Promise<PassResult> {
    const latencies = new LatencyRecorder();
    const codes = new Map<string, number>();
    let next = 0;
    const cpuBefore = cpu();
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const at = performance.now();
        const code = await this.read(path, n, userId, role).catch(() => 'timeout');
        latencies.add(performance.now() - at);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - started) / 1_000;
    const cpuAfter = cpu();
    const [p50, p99, max] = latencies.percentiles(50, 99, 100) as [number, number, number];
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      reads: count,
      seconds: round(seconds),
      readsPerSec: Math.round(count / seconds),
      latencyMs: { p50: round(p50), p99: round(p99), max: round(max) },
      responseCodes: Object.fromEntries(codes),
      cpuMs: Object.fromEntries(
        Object.entries(cpuAfter).map(([name, ms]) => [name, Math.round(ms - (cpuBefore[name] ?? 0))]),
      ),
    };
  }
}
