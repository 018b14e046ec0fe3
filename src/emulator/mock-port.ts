import { SerialPortStream } from '@serialport/stream';
import { SerialPortMock } from 'serialport';
import { GatewayError } from '../errors.js';
import { EmulatedModem } from './modem.js';
import type { EmulatedModemOptions } from './types.js';

/** An emulated modem reachable in-process through `@serialport/binding-mock`. */
export interface MockModemPort {
  readonly modem: EmulatedModem;
  /** Binding to pass to `new SerialPortStream({ binding, path, baudRate })`. */
  readonly binding: MockBindingType;
  /** Path the modem is reachable at now; changes after `modem.replug()`. */
  readonly path: string;
  /** Opens a `SerialPortStream` on the current path. */
  open(baudRate?: number): Promise<SerialPortStream>;
  /** Disposes of the modem and forgets the port. */
  dispose(): void;
}

export interface MockModemPortOptions {
  /** Base path; replugs append `-r<n>`. Default `/dev/emu-mock-<n>`. */
  path?: string;
  /** An existing modem, or options to create one. */
  modem?: EmulatedModem | EmulatedModemOptions;
}

/**
 * `@serialport/binding-mock` has no `types` export condition, so its types are reached through
 * `serialport`'s re-export.
 */
const MockBinding = SerialPortMock.binding;
type MockBindingType = typeof SerialPortMock.binding;
/** The port object the mock binding opens. */
export type MockPortBinding = Awaited<ReturnType<MockBindingType['open']>>;
type MockOpenOptions = Parameters<MockBindingType['open']>[0];

let mockPortCounter = 0;

/**
 * Creates an in-process modem port for fast tests (no pty, no child process). Writes from the
 * host go to `modem.hostWrite`; the modem's output reaches the host's reads. `modem.unplug()`
 * fails the host's pending read, so `SerialPortStream` closes with a disconnect error, like a
 * USB unplug; `modem.replug()` makes the modem reachable at a new path.
 */
export function createMockModemPort(options: MockModemPortOptions = {}): MockModemPort {
  mockPortCounter += 1;
  const basePath = options.path ?? `/dev/emu-mock-${mockPortCounter}`;
  const modem =
    options.modem instanceof EmulatedModem ? options.modem : new EmulatedModem(options.modem ?? {});
  let path = basePath;
  let replugs = 0;
  let open: MockPortBinding | null = null;
  MockBinding.createPort(path, { echo: false, record: false });

  const forward = (bytes: Uint8Array) => {
    if (open?.isOpen) open.emitData(Buffer.from(bytes));
  };
  modem.on('output', forward);
  modem.on('unplugged', () => {
    const port = open;
    open = null;
    if (!port?.isOpen) return;
    const failure = Object.assign(new Error(`modem unplugged from ${path}`), { disconnected: true });
    const pending = (port as unknown as { pendingRead: ((err?: Error) => void) | null }).pendingRead;
    // The stream treats a read that fails with a non-cancel error as a disconnect.
    port.read = () => Promise.reject(failure);
    if (pending) pending(failure);
  });
  modem.on('replugged', () => {
    replugs += 1;
    path = `${basePath}-r${replugs}`;
    MockBinding.createPort(path, { echo: false, record: false });
  });

  const binding: MockBindingType = {
    list: () => MockBinding.list(),
    reset: () => MockBinding.reset(),
    createPort: (portPath, portOptions) => MockBinding.createPort(portPath, portOptions),
    async open(openOptions: MockOpenOptions): Promise<MockPortBinding> {
      if (!modem.isPlugged || openOptions.path !== path) {
        throw new GatewayError('EMU_PORT_GONE', `no modem at ${openOptions.path}`, {
          context: { path: openOptions.path },
        });
      }
      const port = await MockBinding.open(openOptions);
      const originalWrite = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await originalWrite(buffer);
        modem.hostWrite(Uint8Array.from(buffer));
      };
      open = port;
      return port;
    },
  };

  return {
    modem,
    binding,
    get path() {
      return path;
    },
    open(baudRate = 115_200) {
      return new Promise((resolve, reject) => {
        const stream = new SerialPortStream({ binding, path, baudRate }, (err) =>
          err ? reject(err) : resolve(stream),
        );
      });
    },
    dispose() {
      modem.dispose();
    },
  };
}
