/** The AT layer's public surface: the engine, its errors and the CME/CMS table. */
export { AtEngine } from './engine.js';
export {
  type AtEngineOptions,
  type AtEngineStats,
  type AtEngineTimeouts,
  DEFAULT_AT_TIMEOUTS,
} from './engine-options.js';
export {
  type AtErrorInfo,
  isRetryableResult,
  lookupErrorCode,
  lookupErrorCodeByName,
} from './error-codes.js';
export { AtCommandError, AtTimeoutError } from './errors.js';
export { classifyFinalResult, describeFinalResult, UNKNOWN_ERROR_CODE } from './framing/final-result.js';
export type { AtCommander, AtResponse, AtSendOptions, FinalResult, UrcHandler } from './types.js';
