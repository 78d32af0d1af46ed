export { freePort } from './free-port.js';
export { helmBinary, natsServerBinary } from './nats-binary.js';
export { startNatsServer, type NatsServer } from './nats-server.js';
export { waitFor } from './wait-for.js';
export { healthCheck, listServices } from './grpc-probes.js';
export { startServiceProcess, type ServiceProcess } from './service-process.js';
export { serviceNodeOptions } from './service-node-options.js';
export { gbcsResponseBytes } from './gbcs-response.js';
