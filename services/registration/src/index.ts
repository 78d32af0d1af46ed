export { ManualClock, systemClock, type Clock } from './clock.js';
export { parseFeedLine, type FeedRow } from './feed.js';
export { createRegistrationService, registration, type RegistrationHandle } from './service.js';
export { isAllowedTransition, SMI_TRANSITIONS } from './smi-status.js';
export { addWorkingDays, isWorkingDay } from './working-days.js';
