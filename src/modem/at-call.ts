import type { AtCommander, AtResponse, AtSendOptions, FinalResult } from '../at/types.js';

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
