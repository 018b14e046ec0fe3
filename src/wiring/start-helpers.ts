/**
 * Small start-up steps of main.ts that need no other part of the bridge: seeding the status
 * page's history from the store, and choosing how serial ports are opened (traced or not).
 *
 * Split out of main.ts so the composition root reads as a list of parts.
 */
import type { StageTrace } from '../bridge/stage-trace.js';
import type { Config } from '../config/index.js';
import type { StatusHistory } from '../http/status-history.js';
import type { Logger } from '../log.js';
import type { ModemManagerOptions } from '../modem/modem-manager.js';
import type { SmsCountReader } from '../store/sms-counts.js';
import type { ByteChannel } from '../transport/byte-channel.js';
import { openSerialChannel } from '../transport/serial-channel.js';
import { tracedChannel } from '../transport/traced-channel.js';

/** One indexed read of the store, once at start; a failure leaves the page's history empty. */
export async function seedHistory(
  history: StatusHistory,
  counts: SmsCountReader,
  nowMs: number,
  log: Logger,
): Promise<void> {
  const { dayStartMs, hourStartMs } = history.seedRange(nowMs);
  try {
    history.seed(await counts.smsCountsSince(dayStartMs, hourStartMs), nowMs);
  } catch (err) {
    log.warn({ err }, "could not read today's SMS counts; the status page counts from now");
  }
}

/** How ports are opened: the caller's way or the serial one, tapped for the trace when it is on. */
export function openChannelOption(
  config: Config,
  given: ModemManagerOptions['openChannel'] | undefined,
  log: Logger,
  trace: StageTrace,
): Pick<ModemManagerOptions, 'openChannel'> {
  if (!trace.enabled) return given ? { openChannel: given } : {};
  const open =
    given ?? ((path: string) => openSerialChannel({ path, baudRate: config.modems.baudRate, log }));
  return {
    openChannel: async (path: string): Promise<ByteChannel> => tracedChannel(await open(path), trace),
  };
}
