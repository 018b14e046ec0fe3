/** The mock Onlinesim server lives in src/ because `simbridge demo` runs it; tests import it here. */
export {
  type MockAnswer,
  type MockOnlinesim,
  type MockOnlinesimOptions,
  type MockScript,
  type RecordedRequest,
  startMockOnlinesim,
} from '../../src/push/mock-onlinesim.js';
