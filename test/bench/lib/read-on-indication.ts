/**
 * The line logic both store-nothing hosts of `naive-baseline.ts` share: set PDU mode and `+CMTI`
 * indications, then on each `+CMTI` send `AT+CMGR`, hand the PDU on the moment its final `OK`
 * is in, and delete the message. One command in flight at a time, as a modem requires.
 */
const SETUP = ['ATE0', 'AT+CMGF=0', 'AT+CNMI=2,1,0,0,0'];

export interface ReadOnIndicationOptions {
  /** Sends one command line (without its CR). */
  send: (command: string) => void;
  /** A read message's PDU, as the modem gave it. */
  onPdu: (pdu: string) => void;
  /** Called once the set-up commands were answered. */
  onReady: () => void;
}

/** Returns the function to feed each received line (CR LF stripped); sends the set-up at once. */
export function readOnIndication(options: ReadOnIndicationOptions): (line: string) => void {
  const queue = [...SETUP];
  let busy: string | null = null;
  let pdu: string | null = null;
  const next = (): void => {
    if (busy !== null) return;
    const command = queue.shift();
    if (command === undefined) return;
    busy = command;
    options.send(command);
  };
  next();
  return (raw: string): void => {
    const line = raw.trim();
    if (line === '') return;
    const cmti = /^\+CMTI: "?\w+"?,(\d+)/.exec(line);
    if (cmti) {
      queue.push(`AT+CMGR=${cmti[1]}`);
      next();
      return;
    }
    if (busy?.startsWith('AT+CMGR') && /^[0-9A-F]+$/.test(line)) pdu = line;
    if (line !== 'OK' && !line.includes('ERROR')) return;
    const done = busy;
    busy = null;
    if (done?.startsWith('AT+CMGR') && pdu !== null) {
      options.onPdu(pdu);
      queue.unshift(`AT+CMGD=${done.slice('AT+CMGR='.length)}`);
    }
    pdu = null;
    if (done === SETUP[SETUP.length - 1]) options.onReady();
    next();
  };
}
