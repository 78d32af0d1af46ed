import { runMain } from '@dcc/service-kit';
import { scheduling } from './service.js';

runMain(scheduling);
