import { runMain } from '@dcc/service-kit';
import { smets2Adapter } from './service.js';

runMain(smets2Adapter);
