export {
  createSchedulingService,
  scheduling,
  SCHEDULING_GRPC_PORT,
  type SchedulingOptions,
} from './service.js';
export { Scheduler, type SchedulerStats } from './scheduler.js';
export type { CollectionPlan } from './plan/collection-plan.js';
export type { FutureDatedHolder } from './future-dated/future-dated.js';
export { SCHEDULES_BUCKET, SHARDS_PER_USER } from './schedule-store.js';
