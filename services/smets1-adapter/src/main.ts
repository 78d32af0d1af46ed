import { runMain } from '@dcc/service-kit';
import { smets1Adapter } from './service.js';

runMain(smets1Adapter);
