import { type Config, PLACEHOLDER_API_KEY, PLACEHOLDER_PUSH_URL } from '../config/index.js';
import type { Logger } from '../log.js';

/**
 * Warnings for a bridge that runs but cannot do its job yet: the fresh-clone config's public
 * placeholders, no SIM mapped to a phone. Each says what to set.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.onlinesim.apiKey === PLACEHOLDER_API_KEY) {
    warnings.push(
      'onlinesim.apiKey is the public placeholder of config/simbridge.yaml: Onlinesim will refuse ' +
        'every push; set ONLINESIM_API_KEY (for the service: in /etc/simbridge/simbridge.env)',
    );
  }
  if (config.onlinesim.pushUrl === PLACEHOLDER_PUSH_URL) {
    warnings.push(
      'onlinesim.pushUrl is the local placeholder of config/simbridge.yaml: pushes go nowhere; ' +
        'set ONLINESIM_PUSH_URL to the partner URL Onlinesim support gave you',
    );
  }
  if (config.sims.length === 0 && Object.keys(config.operators).length === 0) {
    warnings.push(
      'sims is empty and no operators are set: SMS are stored but not pushed, since no SIM has a ' +
        "phone number; map each SIM's ICCID to its phone, or describe the operators so the SIMs find " +
        'their numbers (README "Adding SIMs", config/simbridge.example.yaml)',
    );
  }
  return warnings;
}

/** Logged once after start when no port matched `modems.ports`. */
export function noModemAdvice(config: Config): string {
  return (
    `no modem found matching ${config.modems.ports.join(', ')}; the bridge picks modems up as they ` +
    'are plugged in. Check ports, permissions and ModemManager with `simbridge doctor`; to see the ' +
    'whole flow on emulated modems, run `npm run demo`'
  );
}

export function logStartAdvice(log: Logger, config: Config, modemCount: number): void {
  for (const warning of configWarnings(config)) log.warn(warning);
  if (modemCount === 0) log.warn(noModemAdvice(config));
}
