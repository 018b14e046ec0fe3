export { ConfigError, type ConfigErrorCode } from './config-error.js';
export { ICCID_PATTERN, normalizeIccid } from './iccid.js';
export {
  isLoopbackHost,
  isLoopbackListen,
  type ListenAddress,
  listenAddressProblem,
  parseListenAddress,
} from './listen-address.js';
export { loadConfig, parseConfigText, resolveConfigPath } from './load-config.js';
export { PLACEHOLDER_API_KEY, PLACEHOLDER_PUSH_URL } from './placeholders.js';
export { findRentProblems, type RentConfig } from './rent-schema.js';
export { type Config, configSchema, type SimConfig } from './schema.js';
export { compileSenderFilter, type SenderFilter } from './sender-filter.js';
export { type SimDirectory, simDirectory } from './sim-directory.js';
export { type Env, substituteEnv } from './substitute-env.js';
