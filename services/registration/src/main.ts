import { runMain } from '@dcc/service-kit';
import { registration } from './service.js';

runMain(registration);
