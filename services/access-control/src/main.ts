import { runMain } from '@dcc/service-kit';
import { accessControl } from './service.js';

runMain(accessControl);
