export type {
  AdminDeps,
  AdminMessage,
  AdminMessages,
  AdminOperation,
  AdminOperations,
  CreateOperationRequest,
  HealthFacts,
  MessageStatusFilter,
  MetricsSource,
} from './admin-deps.js';
export { MESSAGE_STATUS_FILTERS } from './admin-deps.js';
export { buildAdminServer } from './admin-server.js';
export type { HttpErrorBody, HttpErrorCode } from './http-errors.js';
export { type ModemView, toModemView } from './modem-view.js';
