import type { StageTrace } from '../bridge/stage-trace.js';
import type { ByteChannel } from './byte-channel.js';

const CMTI = /^\+CMTI:\s*"[^"]*",\s*(\d+)/;
const COMMAND = /^AT\+CMG([RD])=(\d+)/i;
const FINAL = /^(OK|ERROR|\+CMS ERROR.*|\+CME ERROR.*)$/;

/**
 * Wraps a channel so that the steps of a stored-message exchange seen on the wire are marked in
 * `trace`: a `+CMTI` line read, `AT+CMGR=<i>` written (drained), the final line of its `+CMGR`
 * answer read, `AT+CMGD=<i>` written. It reads the same bytes the AT engine reads, in the same
 * turn of the event loop, with a line splitter of its own; it changes nothing that passes.
 */
export function tracedChannel(channel: ByteChannel, trace: StageTrace): ByteChannel {
  if (!trace.enabled) return channel;
  const port = channel.name;
  const decoder = new TextDecoder('latin1');
  let partial = '';
  /** Index of the last `AT+CMGR` written whose answer is not complete yet. */
  let reading: number | null = null;
  let inReply = false;
  const onLine = (line: string): void => {
    const cmti = CMTI.exec(line);
    if (cmti) {
      trace.mark(port, Number(cmti[1]), 'cmtiParsed');
      return;
    }
    if (line.startsWith('+CMGR:')) inReply = true;
    else if (reading !== null && FINAL.test(line)) {
      if (inReply) trace.mark(port, reading, 'replyComplete');
      reading = null;
      inReply = false;
    }
  };
  channel.onData((chunk) => {
    partial += decoder.decode(chunk);
    let end = partial.search(/[\r\n]/);
    while (end >= 0) {
      const line = partial.slice(0, end).trim();
      partial = partial.slice(end + 1);
      if (line !== '') onLine(line);
      end = partial.search(/[\r\n]/);
    }
  });
  return {
    get name() {
      return channel.name;
    },
    get isOpen() {
      return channel.isOpen;
    },
    async write(data: Uint8Array): Promise<void> {
      const command = COMMAND.exec(decoder.decode(data.subarray(0, 16)));
      const isRead = command?.[1]?.toUpperCase() === 'R';
      const index = Number(command?.[2]);
      if (isRead) {
        // Set before the write: the answer cannot be read before its command is written.
        reading = index;
        inReply = false;
      }
      await channel.write(data);
      if (command) trace.mark(port, index, isRead ? 'readWritten' : 'deleteWritten');
    },
    onData: (listener) => channel.onData(listener),
    onClose: (listener) => channel.onClose(listener),
    close: () => channel.close(),
  };
}
