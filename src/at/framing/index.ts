/** AT framing (layer 2): pure functions and a byte tokenizer, no I/O, no timers. */

export { CTRL_Z, ESC, isBodyEcho, isCommandEcho } from './echo.js';
export {
  classifyFinalResult,
  describeFinalResult,
  UNKNOWN_ERROR_CODE,
} from './final-result.js';
export {
  type InFlightView,
  type LineRoute,
  type RouteContext,
  type RouteDecision,
  routeLine,
} from './route-line.js';
export {
  type AtToken,
  AtTokenizer,
  type AtTokenizerOptions,
  DEFAULT_MAX_LINE_BYTES,
  tokenize,
} from './tokenizer.js';
