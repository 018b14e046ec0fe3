import { expect } from 'vitest';
import { ConfigError, parseConfigText } from '../../../src/config/index.js';

/** Runs `fn`, which must throw a ConfigError; returns it (fails the test otherwise). */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The issues a config text is refused with (no environment variables set). */
export function issuesOf(text: string): readonly string[] {
  return configError(() => parseConfigText(text, {})).issues;
}
