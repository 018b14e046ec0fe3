import type { AtCommander, AtResponse, AtSendOptions, FinalResult } from '../at/types.js';
import { type ErrorCode, GatewayError } from '../errors.js';

/**
 * Sends a command and resolves with its response whatever the final result; transport
 * failures (timeout, port closed) still reject. The driver inspects `final` itself.
 */
export function call(at: AtCommander, command: string, options: AtSendOptions = {}): Promise<AtResponse> {
  return at.send(command, { ...options, allowError: true });
}

export function isOk(response: AtResponse): boolean {
  return response.final.kind === 'ok';
}

/** `+CMS ERROR: 322` (memory full, TS 27.005 §3.2.5). */
export function isMemoryFull(final: FinalResult): boolean {
  return final.kind === 'cms' && final.code === 322;
}

export function describeFinal(final: FinalResult): string {
  switch (final.kind) {
    case 'ok':
      return 'OK';
    case 'error':
      return 'ERROR';
    case 'cme':
      return `+CME ERROR: ${final.code}`;
    case 'cms':
      return `+CMS ERROR: ${final.code}`;
    case 'vendor-error':
      return final.text;
  }
}

/** Throws a modem-layer error naming the command and the modem's answer. */
export function failed(code: ErrorCode, response: AtResponse, what: string): GatewayError {
  return new GatewayError(code, `${what}: ${response.command} answered ${describeFinal(response.final)}`, {
    context: { command: response.command, final: response.final, lines: response.lines },
  });
}
