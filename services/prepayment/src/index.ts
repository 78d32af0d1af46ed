export { prepayment } from './service.js';
export { prepaymentConfig } from './config.js';
