import { GrpcStatus, parseEui64, type DccError } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { checkCaller, identityList, RPC_CALLERS } from './api-access.js';

const OPERATOR = '90-B3-D5-1F-30-00-00-02';
const PROVIDER = '90-B3-D5-1F-30-00-00-03';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const access = {
  operators: new Set([parseEui64(OPERATOR)]),
  providers: new Set([parseEui64(PROVIDER)]),
};

/** A call as grpc-js presents it: over TLS with a client certificate whose CN is `cn`, or plaintext. */
const callAs = (cn?: string) => ({
  getAuthContext: () =>
    cn === undefined
      ? { transportSecurityType: 'insecure' }
      : { transportSecurityType: 'ssl', sslPeerCertificate: { subject: { CN: cn } } },
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DccError).status;
  }
  return undefined;
};

describe('who may call the registration API', () => {
  it('an operator may call every RPC', () => {
    for (const rpc of Object.keys(RPC_CALLERS) as (keyof typeof RPC_CALLERS)[]) {
      expect(checkCaller(callAs(OPERATOR) as never, rpc, access)).toBe(OPERATOR);
    }
  });

  it('a registration data provider: feeds, switches, tenancies and reads; not the inventory or consents', () => {
    for (const rpc of ['loadFeed', 'requestSwitch', 'recordTenancy', 'getHistory'] as const) {
      expect(checkCaller(callAs(PROVIDER) as never, rpc, access)).toBe(PROVIDER);
    }
    for (const rpc of ['decommissionDevice', 'updateInventory', 'grantConsent', 'readInventory'] as const) {
      expect(refusal(() => checkCaller(callAs(PROVIDER) as never, rpc, access))).toBe(
        GrpcStatus.PERMISSION_DENIED,
      );
    }
  });

  it('a User certificate: PERMISSION_DENIED for every RPC', () => {
    for (const rpc of Object.keys(RPC_CALLERS) as (keyof typeof RPC_CALLERS)[]) {
      expect(refusal(() => checkCaller(callAs(SUPPLIER) as never, rpc, access))).toBe(
        GrpcStatus.PERMISSION_DENIED,
      );
    }
  });

  it('no client certificate (plaintext): UNAUTHENTICATED, whoever is configured', () => {
    expect(refusal(() => checkCaller(callAs() as never, 'getHolder', access))).toBe(
      GrpcStatus.UNAUTHENTICATED,
    );
  });

  it('nobody is an operator by default', () => {
    const none = { operators: identityList('', 'X'), providers: identityList(' , ', 'Y') };
    expect(refusal(() => checkCaller(callAs(OPERATOR) as never, 'getHolder', none))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
  });

  it('a setting that is not a list of User IDs is refused at start', () => {
    expect(() => identityList('90-B3-D5-1F-30-00-00-02, nope', 'REGISTRATION_ADMIN_IDS')).toThrow(
      /REGISTRATION_ADMIN_IDS/,
    );
  });
});
