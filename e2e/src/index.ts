export { HubClient, readImportRegisters, type ResponseSubscription } from './hub-client.js';
export { startLocalHub, type LocalHub } from './local-hub.js';
export { ESTATE_PARTIES, estateLines, loadEstateFeed, uniformMeterRoute } from './estate.js';
export { PrepaymentCredentials } from './prepayment-credentials.js';
