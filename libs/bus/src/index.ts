export { decode, encode, type Codec } from './codec.js';
export { DurableConsumer, type DurableConsumerOptions } from './durable-consumer.js';
export { DurablePublisher, parsePubAck, type PubAck } from './durable-publisher.js';
export { errorFromHeaders, errorHeaders } from './error-headers.js';
export { Requester, type RequesterOptions } from './requester.js';
export { OutboundBatch, outboundOf } from './outbound-batch.js';
export { Responder, type ResponderOptions } from './responder.js';
export { ensureStream, findStream } from './stream-setup.js';
export { jetStreamReplicas, setJetStreamReplicas } from './replicas.js';
export { SubjectRecords, type StoredRecord } from './subject-records.js';
export {
  consumerApiOfGridFeed,
  consumers,
  GRID_FEEDS,
  GRID_JS_API_PREFIX,
  streams,
  subjects,
  type GridFeed,
  type MeterPath,
} from './subjects.js';
export { extractTraceContext, injectTraceContext } from './trace-headers.js';
export { inSpan, SpanKind } from './tracing.js';
export { requestTyped } from './typed-request.js';
export { ensureHubStreams } from './hub-streams.js';
export { ensureSchedulingStreams, SCHEDULED_RUN_DUPLICATE_WINDOW_MS } from './scheduling-streams.js';
export { ensureSchedulePlanStream, schedulePlan } from './schedule-plan-stream.js';
export {
  ensureFutureDatedStreams,
  futureDatedConsumers,
  futureDatedStreams,
  futureDatedSubjects,
} from './future-dated-streams.js';
export { publishEvent, subscribeEvents, type EventSubscriptionOptions } from './events.js';
export { BusLink } from './bus-link.js';
export { ensureConsumer } from './consumer-setup.js';
export { PullConsumer, type Pull, type PullConsumerOptions } from './pull-consumer.js';
export type { JsMsg } from '@nats-io/jetstream';
export { ackConfirmed } from './confirmed-ack.js';
export {
  DirectKv,
  KvWriteRefused,
  MAX_KEYS_PER_BATCH,
  type DirectKvEntry,
  type KvBucketStatus,
} from './direct-kv.js';
export {
  HUB_ACCOUNT,
  natsAuthorisationConfig,
  networkOperatorAccount,
  networkOperatorPermissions,
  prepaymentSupplierAccount,
  prepaymentSupplierPermissions,
  type NatsIdentity,
  type NatsPermissions,
  type NetworkOperatorIdentity,
  type PrepaymentSupplierIdentity,
} from './nats-authorisation.js';
export { writeNatsAuthorisation, type NatsAuthorisationFiles } from './nats-credentials.js';
export { observeConsumerLag, observeStreamConsumersLag } from './consumer-lag.js';
export { ensureGridFeed, type GridFeedRetention } from './grid-streams.js';
export { acceptedAtHeaders, acceptedAtOf } from './response-headers.js';
export {
  FIRMWARE_IMAGES_BUCKET,
  FIRMWARE_TRANSFER_HEADER,
  FirmwareImageStore,
  isFirmwareTransferMail,
} from './firmware-images.js';
