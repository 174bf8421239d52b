/** Every workflow type the bridge registers; the names are public API (schedules start them). */
export { catalogSyncWorkflow } from './catalog-sync.js';
export { productSyncWorkflow } from './product-sync.js';
export { reconcileSweepWorkflow } from './reconcile-sweep.js';
export { routeTableWorkflow } from './route-table.js';
