import { X509Certificate } from 'node:crypto';
import { DccError } from '@dcc/domain';
import { meterTime, type ExecContext } from './outcome.js';
import type { Params } from './params.js';

/*
 * GBCS certification path validation, as a device does it before it installs a replacement credential (8.5's
 * Access Control Broker, 6.21's Remote Party trust anchors).
 */

export const BASE64 = /^[A-Za-z0-9+/=]+$/;

/** A base64 DER certificate as the device reads it (INVALID_ARGUMENT when it is not one). */
export function certificate(base64: string, srv: string, name: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw DccError.invalidArgument(`SRV ${srv} ${name} is not an X.509 certificate`);
  }
}

const subjectOf = (c: X509Certificate): string => c.subject.replace(/\n/g, ', ');

/**
 * The replacement certificate issued (name and signature) by the first of the path, each of the path by the
 * next, and, with ApplyTimeBasedCPVChecks, each one valid at the device's time. The failure, or undefined when
 * the path holds.
 */
export function pathFailure(
  ctx: ExecContext,
  replacement: X509Certificate,
  path: readonly X509Certificate[],
  timeBasedChecks: boolean,
): string | undefined {
  const chain = [replacement, ...path];
  for (let i = 0; i + 1 < chain.length; i++) {
    const [subject, issuer] = [chain[i]!, chain[i + 1]!];
    if (!subject.checkIssued(issuer) || !subject.verify(issuer.publicKey)) {
      return `${subjectOf(subject)} is not issued by ${subjectOf(issuer)}`;
    }
  }
  if (timeBasedChecks) {
    const now = meterTime(ctx);
    const expired = chain.find((c) => now < Date.parse(c.validFrom) || now > Date.parse(c.validTo));
    if (expired) return `${subjectOf(expired)} is not valid at the device's time`;
  }
  return undefined;
}

const MAX_COUNTER = (1n << 64n) - 1n;

/** An originator counter floor as the device keeps it: an unsigned 64-bit decimal. */
export function counterFloor(p: Params, key: string): string {
  const value = p.string(key, /^[0-9]{1,20}$/, 20);
  if (BigInt(value) > MAX_COUNTER) throw p.error(`${key} must be an unsigned 64-bit counter`);
  return BigInt(value).toString();
}

/** The certification path and ApplyTimeBasedCPVChecks parameters, as 8.5 and 6.21 carry them. */
export function pathParams(p: Params): { certificationPath: string[]; timeBasedChecks: boolean } {
  const path = p.raw('certificationPath');
  if (
    !Array.isArray(path) ||
    path.length === 0 ||
    path.some((c) => typeof c !== 'string' || !BASE64.test(c))
  ) {
    throw p.error('certificationPath must be one or more base64 certificates');
  }
  const timeBasedChecks = p.raw('timeBasedChecks');
  if (typeof timeBasedChecks !== 'boolean') throw p.error('timeBasedChecks must be true or false');
  return { certificationPath: path as string[], timeBasedChecks };
}
