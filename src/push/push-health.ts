import type { PushAnswer, PushVerdict } from './classify-answer.js';

/**
 * Whether Onlinesim currently refuses the partner key: its last answer was HTTP 401 or named
 * `ERROR_WRONG_KEY`. Every push is still sent again on its retry schedule (a key fixed at
 * Onlinesim's end starts working without a restart); this flag only lets `/healthz` and the
 * status page say why nothing is delivered. Any answer that is not a key refusal clears it.
 */
export interface PushHealthSnapshot {
  keyRefused: boolean;
  /** Epoch ms of the refusal that set the flag, or null while the key is accepted. */
  keyRefusedSinceMs: number | null;
}

export const KEY_REFUSED_ERROR = 'ERROR_WRONG_KEY';

/** True for an answer that says the key is wrong (and only for that). */
export function isKeyRefusal(answer: PushAnswer, verdict: PushVerdict): boolean {
  if ('networkError' in answer) return false;
  return answer.status === 401 || verdict.errorName === KEY_REFUSED_ERROR;
}

export class PushHealth {
  #refusedSinceMs: number | null = null;

  get keyRefused(): boolean {
    return this.#refusedSinceMs !== null;
  }

  snapshot(): PushHealthSnapshot {
    return { keyRefused: this.keyRefused, keyRefusedSinceMs: this.#refusedSinceMs };
  }

  /**
   * Notes one HTTP answer. Returns 'refused' when this answer turned the flag on, 'accepted'
   * when it turned it off, null when nothing changed (network failures change nothing: they
   * say nothing about the key).
   */
  observe(answer: PushAnswer, verdict: PushVerdict, atMs: number): 'refused' | 'accepted' | null {
    if ('networkError' in answer) return null;
    if (isKeyRefusal(answer, verdict)) {
      if (this.#refusedSinceMs !== null) return null;
      this.#refusedSinceMs = atMs;
      return 'refused';
    }
    // A 5xx or 429 comes from in front of the key check as often as not: it proves nothing.
    if (answer.status >= 500 || answer.status === 429) return null;
    if (this.#refusedSinceMs === null) return null;
    this.#refusedSinceMs = null;
    return 'accepted';
  }
}
