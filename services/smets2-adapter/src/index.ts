export { smets2Adapter } from './service.js';
