export { DccError } from './dcc-error.js';
export { bounded, MAX_ECHO_CHARS, MAX_MESSAGE_CHARS } from './bounded-text.js';
export { DEVICE_TYPES, type DeviceType, type SmetsGeneration } from './device-type.js';
export { eui64FromBigInt, eui64ToBigInt, isEui64, parseEui64, type Eui64 } from './eui64.js';
export { GrpcStatus, type GrpcStatusCode } from './grpc-status.js';
export {
  isValidMpanCore,
  isValidMprn,
  mpanCheckDigit,
  mprnCheckDigits,
  parseMpan,
  parseMprn,
  type MpanCore,
  type Mprn,
  type MpxnParseOptions,
} from './mpxn.js';
export { formatRequestId, parseRequestId, responseIdFor, type RequestId } from './request-id.js';
export { isSuccessCode, RESPONSE_CODES, statusForResponseCode, type ResponseCode } from './response-code.js';
export { allSrvs, findSrv, isRoleEligible, requireSrv } from './srv/srv-catalogue.js';
export type { CommandVariant, FutureDatedPattern, SrvDefinition } from './srv/srv-definition.js';
export {
  isUserRoleCode,
  NETWORK_OPERATOR_ROLES,
  SUPPLIER_ROLES,
  USER_ROLES,
  type UserRoleCode,
} from './user-role.js';
export { fnv1a32, partitionOf } from './partition.js';
