import { runMain } from '@dcc/service-kit';
import { prepayment } from './service.js';

runMain(prepayment);
