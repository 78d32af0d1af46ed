export { baseConfigSchema, ConfigError, loadConfig, type BaseConfig } from './config.js';
export { fromServiceError, RESPONSE_CODE_TRAILER, toServiceError } from './grpc-errors.js';
export {
  LIVENESS_CHECK,
  shutdownGrpcServer,
  startGrpcServer,
  type GrpcBinding,
  type StartedGrpcServer,
} from './grpc-server.js';
export { createLogger, type Logger } from './logger.js';
export { connectNats, natsAuthenticator, type NatsCredentialSettings } from './nats-connection.js';
export {
  runMain,
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceInstance,
  type ServiceModule,
} from './service.js';
export { installTelemetry, shutdownTelemetry, type Telemetry } from './telemetry.js';
export { inServerSpan } from './grpc-tracing.js';
export {
  MalformedMessage,
  MAX_MESSAGE_BYTES,
  OversizedMessage,
  tolerantDefinition,
} from './tolerant-definition.js';
export { boundedDetails } from './bounded-status.js';
export { writeRespectingBackpressure } from './backpressure.js';
export { lazyCounter, lazyHistogram } from './instruments.js';
export { authenticatedUserId, identityList, serverCredentials } from './grpc-credentials.js';
export {
  authoriseOperator,
  operatorAccessConfig,
  operatorAccessOf,
  operatorUnary,
  type OperatorAccess,
} from './operator-access.js';
