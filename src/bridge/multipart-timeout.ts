import type { Logger } from '../log.js';
import type { PendingPush } from '../push/types.js';
import type { AssembleParts, BridgeRepository } from '../store/repository.js';
import { decideRoute } from './route.js';

export interface CloseOverdueGroupsInput {
  repo: BridgeRepository;
  nowMs: number;
  timeoutMs: number;
  isDenied: (sender: string) => boolean;
  assemble: AssembleParts;
  log: Logger;
  /** As `IngestPipelineOptions.onPushQueued`: the leased push, or null when not leased. */
  onPushQueued: (push: PendingPush | null) => void;
  /** As `IngestPipelineOptions.pushLeaseMs`: lease the push in the closing transaction. */
  pushLeaseMs?: number | undefined;
}

/**
 * Closes every multipart group whose first part arrived more than `timeoutMs` ago: the parts
 * that did arrive are joined in sequence order and routed as one message marked `incomplete`
 * (README, "How an SMS travels"). A part that arrives later is routed on its own by the ingest.
 * Nothing waits forever. Returns how many groups were closed.
 */
export async function closeOverdueGroups(input: CloseOverdueGroupsInput): Promise<number> {
  const overdue = await input.repo.overdueGroups(input.nowMs - input.timeoutMs);
  let closed = 0;
  for (const group of overdue) {
    const route = decideRoute(group.sender, group.phone, input.isDenied);
    const lease =
      input.pushLeaseMs === undefined ? undefined : { leaseUntilMs: input.nowMs + input.pushLeaseMs };
    const result = await input.repo.closeGroupIncomplete(group.id, route, input.assemble, input.nowMs, lease);
    if (!result.closed) continue;
    if (result.pushId !== null) input.onPushQueued(result.leasedPush ?? null);
    closed += 1;
    input.log.warn(
      { groupId: group.id, total: group.total, messageId: result.messageId, status: result.status },
      'multipart SMS incomplete after timeout; routed with the parts that arrived',
    );
  }
  return closed;
}

export interface MultipartTimeoutSweeperOptions {
  /** What to sweep: usually the `IngestPipeline`. */
  target: { closeOverdueGroups(): Promise<number> };
  /** How often to look for overdue groups. Default 5 s. */
  intervalMs?: number;
  log: Logger;
}

export const SWEEPER_DEFAULTS = { intervalMs: 5_000 } as const;

/**
 * Runs `closeOverdueGroups` every `intervalMs`, and once at start so that groups left
 * collecting across a restart are closed. Sweeps never overlap. The timer does not keep the
 * process alive.
 */
export class MultipartTimeoutSweeper {
  readonly #target: { closeOverdueGroups(): Promise<number> };
  readonly #intervalMs: number;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(options: MultipartTimeoutSweeperOptions) {
    this.#target = options.target;
    this.#intervalMs = options.intervalMs ?? SWEEPER_DEFAULTS.intervalMs;
    this.#log = options.log;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.sweepOnce(), this.#intervalMs);
    this.#timer.unref();
    void this.sweepOnce();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => 0);
  }

  /** One sweep now (skipped, resolving 0, while another is running). Never rejects. */
  async sweepOnce(): Promise<number> {
    if (this.#running !== null) return 0;
    this.#running = this.#target.closeOverdueGroups();
    try {
      return await this.#running;
    } catch (err) {
      this.#log.error({ err }, 'multipart timeout sweep failed; will retry');
      return 0;
    } finally {
      this.#running = null;
    }
  }
}
