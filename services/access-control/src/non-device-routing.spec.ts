import { DccError, GrpcStatus, parseEui64, parseRequestId, requireSrv, USER_ROLES } from '@dcc/domain';
import { UserRole } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import type { RoutedRequest } from './admission.js';
import { routedResponse } from './non-device-routing.js';

const USER = parseEui64('90-B3-D5-1F-30-0A-00-00');
const HUB = parseEui64('90-B3-D5-1F-30-00-00-02');
const requestId = `${USER}:${HUB}:42`;
const routed: RoutedRequest = {
  request: {
    requestId,
    commandVariant: 8,
    serviceReferenceVariant: '8.2',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'readInventory', value: { deviceId: '00-DB-12-00-00-00-00-01', mpxn: '' } },
  },
  id: parseRequestId(requestId),
  user: { id: USER, roles: USER_ROLES, status: 'admitted' } as unknown as RoutedRequest['user'],
  srv: requireSrv('8.2'),
  owner: 'registration',
};
const NOW = Date.UTC(2026, 5, 1);

describe('routing a non-device SRV: the response registration answer becomes', () => {
  it('an answer: I0 with the body, the ResponseID the RequestID with its ends swapped', () => {
    const response = routedResponse(routed, { body: { $case: 'inventory', value: { devices: [] } } }, NOW);
    expect(response).toMatchObject({
      requestId,
      responseId: `${HUB}:${USER}:42`,
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      serviceReferenceVariant: '8.2',
      responseDateTimeMs: NOW,
      body: { $case: 'inventory', value: { devices: [] } },
    });
  });

  it('a refusal: a failure response with its DUIS code, status and detail, no body', () => {
    const e19 = routedResponse(routed, { error: DccError.duis('E19', 'device not in the SMI') }, NOW);
    expect(e19).toMatchObject({ responseCode: 'E19', body: undefined });
    expect(e19.detail).toContain('device not in the SMI');
    expect(e19.statusCode).toBe(DccError.duis('E19', '').status);
    const missing = routedResponse(
      routed,
      { error: new DccError(GrpcStatus.NOT_FOUND, 'meter point 1 is not registered') },
      NOW,
    );
    expect(missing).toMatchObject({ responseCode: '', statusCode: GrpcStatus.NOT_FOUND });
  });

  it('no answer (no responder, timeout): thrown as UNAVAILABLE, nothing to store', () => {
    for (const error of [
      DccError.unavailable('no service is listening'),
      new DccError(GrpcStatus.DEADLINE_EXCEEDED, 'no reply in time'),
    ]) {
      let thrown: DccError | undefined;
      try {
        routedResponse(routed, { error }, NOW);
      } catch (e) {
        thrown = e as DccError;
      }
      expect(thrown?.status).toBe(GrpcStatus.UNAVAILABLE);
      expect(thrown?.message).toMatch(/^registration unavailable/);
    }
  });
});
