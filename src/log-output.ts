import pino, { type DestinationStream, type Logger } from 'pino';

/** Most bytes of log lines held while the output takes none (journald stalled, a pipe full). */
export const LOG_BUFFER_BYTES = 4 * 1024 * 1024;

/** The log output of the long-running bridge (see `nonBlockingOutput`). */
export interface NonBlockingOutput {
  readonly stream: DestinationStream;
  /** Once the output takes lines again, `log` says how many were dropped while it did not. */
  reportDropsTo(log: Logger): void;
}

/**
 * stdout (or `fd`) for the long-running bridge, written in the background with a bounded hold.
 * pino's default destination already writes asynchronously (sonic-boom: one write in flight,
 * later lines gathered behind it), so a stalled journald or a full pipe does not block the event
 * loop; but it holds every line until the output takes it again, and a day-long stall would grow
 * the bridge without limit. Here at most `maxBytes` are held; later lines are dropped and counted,
 * and once the output drains one warning says how many were lost. Lost log lines cost an
 * operator some detail; memory without bound would cost the bridge. pino writes out what is
 * held when the process exits.
 */
export function nonBlockingOutput(fd = 1, maxBytes = LOG_BUFFER_BYTES): NonBlockingOutput {
  const stream = pino.destination({ dest: fd, sync: false, maxLength: maxBytes });
  let droppedLines = 0;
  let droppedBytes = 0;
  let reporter: Logger | null = null;
  stream.on('drop', (line: string | Buffer) => {
    droppedLines += 1;
    droppedBytes += Buffer.byteLength(line);
  });
  stream.on('drain', () => {
    if (droppedLines === 0 || reporter === null) return;
    const lost = { droppedLines, droppedBytes };
    droppedLines = 0;
    droppedBytes = 0;
    reporter.warn(lost, 'the log output was blocked; log lines were dropped meanwhile');
  });
  return {
    stream,
    reportDropsTo: (log) => {
      reporter = log;
    },
  };
}
