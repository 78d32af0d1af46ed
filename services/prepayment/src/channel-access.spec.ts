import { GrpcStatus, parseEui64 } from '@dcc/domain';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { callingChannel } from './channel-access.js';

const CHANNEL = '90-B3-D5-1F-30-00-00-04';
const channels = new Set([parseEui64(CHANNEL)]);

/** A call as grpc-js presents it: over TLS with a client certificate whose CN is `cn`, or plaintext. */
const callAs = (cn?: string) =>
  ({
    getAuthContext: () =>
      cn === undefined
        ? { transportSecurityType: 'insecure' }
        : { transportSecurityType: 'ssl', sslPeerCertificate: { subject: { CN: cn } } },
  }) as unknown as Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;

describe('who may call the prepayment API', () => {
  it('admits a configured payment channel by its certificate', () => {
    expect(callingChannel(callAs(CHANNEL), channels)).toBe(CHANNEL);
  });

  it('refuses a plaintext call (UNAUTHENTICATED) and any other certificate (PERMISSION_DENIED)', () => {
    expect(() => callingChannel(callAs(), channels)).toThrow(
      expect.objectContaining({ status: GrpcStatus.UNAUTHENTICATED }),
    );
    expect(() => callingChannel(callAs('90-B3-D5-1F-30-01-00-00'), channels)).toThrow(
      expect.objectContaining({ status: GrpcStatus.PERMISSION_DENIED }),
    );
    expect(() => callingChannel(callAs(CHANNEL), new Set())).toThrow(
      expect.objectContaining({ status: GrpcStatus.PERMISSION_DENIED }),
    );
  });
});
