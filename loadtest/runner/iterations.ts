import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PkiFiles } from '@dcc/pki';
import type { UtrnIssuer } from './utrn-issuer.ts';
import { status } from '@grpc/grpc-js';
import {
  createSchedule,
  meterId,
  meterIndex,
  readRegisters,
  readYesterdaysProfile,
  submitSigned,
  topUp,
  topUpNumber,
  transformTariff,
  type Iteration,
  type Scenario,
  type WireRequest,
} from '../model/index.ts';
import type { SubmitOutcome, UserChannel } from './hub-calls.ts';

/** Where an iteration's request went: acknowledged (I99, its I0 to come) or failed. */
export type Submitted =
  { kind: 'acknowledged'; requestId: string } | { kind: 'failed'; requestId: string; reason: string };

export interface IterationContext {
  estateSize: number;
  pki: PkiFiles;
  /** The suppliers' top-up systems (their top-up KA keys from the PKI directory). */
  utrns: UtrnIssuer;
  channels: Map<string, UserChannel>;
  /** Called just before the request that will be answered on the response stream is sent. */
  expect(requestId: string): void;
}

/** The scenario's n-th iteration as the model defines it: its meter and its intended start. */
export function iterationOf(
  scenario: Scenario,
  n: number,
  intendedStartMs: number,
  estateSize: number,
): Iteration {
  return {
    scenario,
    device: meterId(meterIndex(n, estateSize, scenario.index * 1_000_003)),
    intendedStartMs,
    iteration: n,
  };
}

/** Sends one iteration's request(s); resolves when the hub acknowledged or refused it. */
export async function runIteration(it: Iteration, ctx: IterationContext): Promise<Submitted> {
  const channel = ctx.channels.get(it.scenario.user)!;
  if (it.scenario.critical) return critical(it, ctx, channel);
  const request = buildRequest(it, ctx);
  ctx.expect(request.requestId);
  return classify(request.requestId, await channel.submit(request));
}

function buildRequest(it: Iteration, { estateSize, utrns }: IterationContext): WireRequest {
  switch (it.scenario.name) {
    case 'on-demand-reads':
      return readRegisters(it);
    case 'top-ups': {
      // The supplier's (simulated) top-up system: the n-th top-up of a device carries counter block n.
      const counter = BigInt(topUpNumber(it.iteration, estateSize)) << 32n;
      return topUp(it, utrns.utrn(it.scenario.user, it.device, counter, 1_000));
    }
    case 'schedules':
      return createSchedule(it);
    default:
      return readYesterdaysProfile(it);
  }
}

/** CV 4 (transform), sign the pre-command as received (ECDSA P-256, SHA-256, DER), CV 5 with the same RequestID. */
async function critical(it: Iteration, ctx: IterationContext, channel: UserChannel): Promise<Submitted> {
  const cv4 = transformTariff(it);
  const transformed = await channel.submit(cv4);
  if (!transformed.ok || transformed.ack.responseCode !== 'I0' || !transformed.ack.preCommand) {
    return classify(cv4.requestId, transformed, 'CV 4: ');
  }
  const preCommand = transformed.ack.preCommand;
  const key = signingKey(ctx.pki, it.scenario.user);
  const signature = sign('sha256', preCommand, { key, dsaEncoding: 'der' });
  const cv5 = submitSigned(cv4, preCommand.toString('base64'), signature.toString('base64'));
  ctx.expect(cv5.requestId);
  return classify(cv5.requestId, await channel.submit(cv5), 'CV 5: ');
}

const signingKeys = new Map<string, string>();
function signingKey(pki: PkiFiles, userId: string): string {
  let key = signingKeys.get(userId);
  if (!key) signingKeys.set(userId, (key = readFileSync(pki.userSigningKey(userId), 'utf8')));
  return key;
}

function classify(requestId: string, outcome: SubmitOutcome, step = ''): Submitted {
  if (outcome.ok) {
    return outcome.ack.responseCode === 'I99' || outcome.ack.responseCode === 'I0'
      ? { kind: 'acknowledged', requestId }
      : { kind: 'failed', requestId, reason: `${step}${outcome.ack.responseCode} ${outcome.ack.detail}` };
  }
  const reason = `${step}${outcome.responseCode || status[outcome.code] || outcome.code}: ${outcome.message}`;
  return { kind: 'failed', requestId, reason };
}
