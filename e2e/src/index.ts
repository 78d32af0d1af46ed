export { HubClient, readImportRegisters, type ResponseSubscription } from './hub-client.js';
export { startLocalHub, type LocalHub } from './local-hub.js';
export {
  ESTATE_PARTIES,
  estateLines,
  loadEstateFeed,
  mixedSmets1Esmes,
  SMETS1_COHORTS,
  uniformMeterRoute,
} from './estate.js';
export { parsePrometheusText, seriesNames, type Sample } from './prometheus-text.js';
export { PrepaymentCredentials } from './prepayment-credentials.js';
export { CHANNEL, PrepaymentHub, STRANGER, type PrepaymentHubOptions } from './prepayment-harness.js';
export { SimulatedSupplier } from './simulated-supplier.js';
export { UserSession } from './user-session.js';
export { dailyScheduleRequest, futureDatedRead, uniformMeter } from './schedule-requests.js';
export { userAdminClient } from './user-admin-client.js';
