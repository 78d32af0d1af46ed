export { reporting } from './service.js';
export { reportingConfig } from './config.js';
export { REPORTING_BUCKET } from './tally-store.js';
