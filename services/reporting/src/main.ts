import { runMain } from '@dcc/service-kit';
import { reporting } from './service.js';

runMain(reporting);
