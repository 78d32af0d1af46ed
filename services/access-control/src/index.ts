export { accessControl } from './service.js';
export { DEVELOPMENT_USERS } from './user-directory.js';
// The pure parts of the authorisation decision, for benchmarks and tools.
export { admit } from './admission.js';
export { CounterGuard } from './counter-guard.js';
export { KvCounterMarks } from './counter-marks.js';
export { statusAllows } from './device-status-rules.js';
export { UserDirectory } from './user-directory.js';
// The coalescing of registration checks, for its integration test against the real registration service.
export { AuthoriseBatcher } from './authorise-batcher.js';
