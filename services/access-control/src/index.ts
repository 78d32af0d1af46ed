export { accessControl } from './service.js';
export { DEVELOPMENT_USERS } from './user-directory.js';
