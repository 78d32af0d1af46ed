import { createPrivateKey, sign } from 'node:crypto';
import { DccError, GrpcStatus, requireSrv, type UserRoleCode } from '@dcc/domain';
import { wireUserRoleOf, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import type { HubClient } from '../../src/index.js';
import { isGasDevice, sampleTarget } from './dcc-boxed-estate.js';
import { gasShapeMissing } from './gas-shape.js';
import { mapSample } from './sample-mapping.js';
import type { DuisSample } from './samples.js';

/** A gRPC status number's name ("UNIMPLEMENTED"), for refusals that carry no DUIS response code. */
const statusName = (status: number) =>
  Object.entries(GrpcStatus).find(([, value]) => value === status)?.[0] ?? `status ${status}`;

export type SampleClass = 'executed' | 'refused-as-documented' | 'other';

export interface SampleOutcome {
  sample: DuisSample;
  class: SampleClass;
  /** What happened: the response code or status, or why the sample could not be expressed. */
  detail: string;
}

/** A refusal the hub documents for a sample: the code it answers with, and why that is right. */
export interface ExpectedRefusal {
  /** A DUIS response code ("E11") or a gRPC status name ("UNIMPLEMENTED"). */
  code: string;
  reason: string;
}

/** A User of the test hub: its connection, its roles and its signing key (critical SRVs). */
export interface SampleUser {
  client: HubClient;
  roles: readonly UserRoleCode[];
  signingKeyPem: string | undefined;
}

const GAS_FIRST: readonly UserRoleCode[] = ['GS', 'GT', 'IS', 'ES', 'ED', 'OU', 'RSA', 'MDR'];
const ELECTRICITY_FIRST: readonly UserRoleCode[] = ['IS', 'ED', 'ES', 'GS', 'GT', 'OU', 'RSA', 'MDR'];

/**
 * The role the User sends the sample in: DUIS carries none (the DCC knows it from the User's certificate), so
 * the first of the User's roles the SRV admits, gas roles first for a gas device.
 */
function roleFor(sample: DuisSample, roles: readonly UserRoleCode[], deviceId: string): UserRoleCode {
  const eligible = requireSrv(sample.srv).roles;
  const order = isGasDevice(deviceId) ? GAS_FIRST : ELECTRICITY_FIRST;
  return order.find((role) => roles.includes(role) && eligible.includes(role)) ?? roles[0] ?? 'IS';
}

/** Replays DUIS samples against a hub, one at a time, as an integrating User would send them. */
export class SampleRunner {
  private counter = BigInt(Date.now()) * 1000n;

  constructor(
    private readonly users: ReadonlyMap<string, SampleUser>,
    private readonly responses: ReadonlyMap<string, ServiceResponse>,
    private readonly expected: Readonly<Record<string, ExpectedRefusal>>,
    private readonly responseTimeoutMs = 15_000,
  ) {}

  async run(sample: DuisSample): Promise<SampleOutcome> {
    const mapped = mapSample(sample);
    if (!mapped.ok) return { sample, class: 'other', detail: `unexpressible: ${mapped.reason}` };
    const user = this.users.get(sample.originator);
    if (!user) return this.classify(sample, 'UNAUTHENTICATED', 'the originator is not a User of the hub');
    // The body's device decides the fuel for non-device requests (e.g. 8.2 of the GPF).
    const value = mapped.body?.value as { deviceId?: string } | undefined;
    const target = sampleTarget(sample);
    const device = value?.deviceId || target;
    const request: ServiceRequest = {
      // Sample counters are small and repeat; a User's counters only go up (DCC Boxed's tool does the same).
      requestId: `${sample.originator}:${target}:${this.counter++}`,
      commandVariant: sample.commandVariant,
      serviceReferenceVariant: sample.srv,
      userRole: wireUserRoleOf(roleFor(sample, user.roles, device)),
      body: mapped.body,
      ...(mapped.executionDateTimeMs === undefined
        ? {}
        : { executionDateTimeMs: mapped.executionDateTimeMs }),
    };
    try {
      const ack =
        sample.commandVariant === 4
          ? await this.transformAndSign(user, request)
          : await user.client.submit(request);
      // Local delivery without the WAN (CV 2): the hub's answer is the countersigned command itself.
      if (ack.responseCode === 'I0') return { sample, class: 'executed', detail: 'I0 (local command)' };
      const response = await waitFor(
        `the response to ${sample.name}`,
        () => this.responses.get(request.requestId),
        this.responseTimeoutMs,
      ).catch(() => undefined);
      if (!response) return { sample, class: 'other', detail: 'no response' };
      if (response.responseCode === 'I0') {
        // A gas meter answers a consumption read in its own shape, or the sample is not working.
        const wrong = isGasDevice(sample.target) ? gasShapeMissing(response) : undefined;
        if (wrong) return { sample, class: 'other', detail: `I0, but ${wrong}` };
        return { sample, class: 'executed', detail: 'I0' };
      }
      const code = response.responseCode || statusName(response.statusCode);
      return this.classify(sample, code, response.detail);
    } catch (error) {
      if (!(error instanceof DccError)) throw error;
      return this.classify(sample, error.responseCode ?? statusName(error.status), error.message);
    }
  }

  /** CV 4 → the pre-command, signed as the User's tools sign it (ECDSA P-256, SHA-256, DER) → CV 5. */
  private async transformAndSign(user: SampleUser, request: ServiceRequest) {
    const transformed = await user.client.submit(request);
    if (!transformed.preCommand || !user.signingKeyPem) return transformed;
    const signature = sign('sha256', transformed.preCommand, {
      key: createPrivateKey(user.signingKeyPem),
      dsaEncoding: 'der',
    });
    return user.client.submit({
      ...request,
      commandVariant: 5,
      signedPreCommand: { preCommand: transformed.preCommand, signature, keyId: '1' },
    });
  }

  private classify(sample: DuisSample, code: string, detail: string): SampleOutcome {
    const expected = this.expected[sample.name];
    if (expected?.code === code) {
      return { sample, class: 'refused-as-documented', detail: `${code}: ${expected.reason}` };
    }
    return { sample, class: 'other', detail: `${code}: ${detail}` };
  }
}
