import { GrpcStatus, type GrpcStatusCode } from './grpc-status.js';

/**
 * DUIS response codes the hub produces (DCC-REFERENCE §1.5), each with the gRPC status a gRPC caller sees
 * when the code is a rejection.
 */
export const RESPONSE_CODES = {
  I0: { status: GrpcStatus.OK, meaning: 'Success: request completed' },
  I99: { status: GrpcStatus.OK, meaning: 'Acknowledgement: accepted and passed access control' },
  E1: {
    status: GrpcStatus.PERMISSION_DENIED,
    meaning: 'User ID / User Role is not a valid SEC party and role',
  },
  E2: {
    status: GrpcStatus.PERMISSION_DENIED,
    meaning: 'User Role not permitted to send this Service Reference',
  },
  E3: {
    status: GrpcStatus.PERMISSION_DENIED,
    meaning: "User's status does not allow this Service Reference",
  },
  E4: {
    status: GrpcStatus.PERMISSION_DENIED,
    meaning: 'User Role not authorised for this device at this time',
  },
  E5: {
    status: GrpcStatus.FAILED_PRECONDITION,
    meaning: 'Device inventory status incompatible with the request',
  },
  E11: {
    status: GrpcStatus.INVALID_ARGUMENT,
    meaning: 'Service Request not valid for the target device type',
  },
  E12: { status: GrpcStatus.INVALID_ARGUMENT, meaning: 'Command Variant not applicable to the request' },
  E13: { status: GrpcStatus.INVALID_ARGUMENT, meaning: 'Request type not valid for this entry point' },
  E17: {
    status: GrpcStatus.PERMISSION_DENIED,
    meaning: 'Not available for local command delivery for this User Role and device status',
  },
  E19: { status: GrpcStatus.NOT_FOUND, meaning: 'Device ID does not exist' },
  E20: { status: GrpcStatus.UNAVAILABLE, meaning: 'Cannot establish communications with the device' },
  E21: { status: GrpcStatus.DEADLINE_EXCEEDED, meaning: 'No response from the device' },
  E30: { status: GrpcStatus.DEADLINE_EXCEEDED, meaning: 'Future-dated command timed out' },
} as const satisfies Record<string, { status: GrpcStatusCode; meaning: string }>;

export type ResponseCode = keyof typeof RESPONSE_CODES;

export function isSuccessCode(code: string): boolean {
  return code.startsWith('I');
}

export function statusForResponseCode(code: ResponseCode): GrpcStatusCode {
  return RESPONSE_CODES[code].status;
}
