import { fileURLToPath } from 'node:url';

/** Directory of the .proto sources (same relative place from src/ and dist/). */
export const PROTO_ROOT = fileURLToPath(new URL('../proto', import.meta.url));

/** Every .proto file of package dcc.v1, relative to PROTO_ROOT (used for gRPC server reflection). */
export const PROTO_FILES = [
  'dcc/v1/meter_command.proto',
  'dcc/v1/service_request.proto',
  'dcc/v1/service_requests_api.proto',
  'dcc/v1/smets2_operations_api.proto',
  'dcc/v1/user_role.proto',
] as const;

export { MeterCommand } from './gen/dcc/v1/meter_command.js';
export {
  Acknowledgement,
  ImportRegisters,
  ReadInstantaneousImportRegisters,
  ServiceRequest,
  ServiceResponse,
} from './gen/dcc/v1/service_request.js';
export {
  ResponsesRequest,
  ResponsesResponse,
  ServiceRequestsServiceClient,
  ServiceRequestsServiceService,
  SubmitRequest,
  SubmitResponse,
  SubmitStreamRequest,
  SubmitStreamResponse,
  type ServiceRequestsServiceServer,
} from './gen/dcc/v1/service_requests_api.js';
export {
  GetFleetStatusRequest,
  GetFleetStatusResponse,
  Smets2OperationsServiceClient,
  Smets2OperationsServiceService,
  type Smets2OperationsServiceServer,
} from './gen/dcc/v1/smets2_operations_api.js';
export { UserRole, userRoleFromJSON, userRoleToJSON } from './gen/dcc/v1/user_role.js';
