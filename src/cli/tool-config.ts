import { type Config, loadConfig } from '../config/index.js';
import { isGatewayError } from '../errors.js';

/**
 * Loads the config; a `${VAR}` the shell does not have (the API key lives in the service's
 * environment file) is not needed to look at modems, so it is filled with a placeholder.
 */
export function loadConfigForTools(path: string, env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(path, env);
  } catch (err) {
    if (!isGatewayError(err) || err.code !== 'CONFIG_ENV_MISSING') throw err;
    const placeholder = new Proxy(env, {
      get: (target, name) => (typeof name === 'string' ? (target[name] ?? `unset-${name}`) : undefined),
    });
    return loadConfig(path, placeholder);
  }
}
