export { gridFeeds } from './service.js';
export { gridAlertMeaning } from './grid-alerts.js';
export { GridWindows } from './grid-windows.js';
