export { smets1Adapter } from './service.js';
export { smets1AdapterConfig } from './config.js';
export { COHORTS, type Cohort } from './cohort.js';
