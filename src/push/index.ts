export {
  type ClassifyOptions,
  classifyPushAnswer,
  FINAL_PUSH_ERRORS,
  type FinalPushError,
  type PushAnswer,
  type PushHttpAnswer,
  type PushNetworkFailure,
  type PushVerdict,
} from './classify-answer.js';
export {
  type MockAnswer,
  type MockOnlinesim,
  type MockOnlinesimOptions,
  type MockScript,
  type RecordedRequest,
  startMockOnlinesim,
} from './mock-onlinesim.js';
export { PUSH_CLIENT_DEFAULTS, PushClient, type PushClientOptions } from './push-client.js';
export { isKeyRefusal, KEY_REFUSED_ERROR, PushHealth, type PushHealthSnapshot } from './push-health.js';
export {
  PUSH_WORKER_DEFAULTS,
  type PushOutcome,
  type PushOutcomeKind,
  type PushSender,
  type PushTimers,
  PushWorker,
  type PushWorkerOptions,
} from './push-worker.js';
export type * from './types.js';
