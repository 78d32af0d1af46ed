import { runMain } from '@dcc/service-kit';
import { gridFeeds } from './service.js';

runMain(gridFeeds);
