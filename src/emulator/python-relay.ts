/**
 * The python3 part shared by both scripts below: links the slave at `link` and, on SIGTERM or
 * SIGINT (or a call of `finish()`), removes the link and exits, which closes the script's pty
 * descriptors. Defines `link_slave(path)` and `finish()`.
 */
const PYTHON_LINK_AND_FINISH = `
import os, sys, signal
link = sys.argv[1]
def link_slave(path):
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(path, link)
def finish(*_):
    try:
        os.unlink(link)
    except OSError:
        pass
    os._exit(0)
signal.signal(signal.SIGTERM, finish)
signal.signal(signal.SIGINT, finish)
`;

/**
 * Fallback pty relay for hosts without socat: a python3 script (run with `python3 -c`) that
 * opens a pty pair, puts the slave in raw mode (no echo, no CR/LF translation), links it at
 * argv[1], and copies bytes between the master and its stdin/stdout until either side ends.
 * It keeps its own slave descriptor open so the host closing and reopening the port does not
 * end the relay; exiting (SIGTERM) closes the master, which hangs the host's tty up.
 */
export const PYTHON_PTY_RELAY = `${PYTHON_LINK_AND_FINISH}
import tty, select
master, slave = os.openpty()
tty.setraw(slave)
link_slave(os.ttyname(slave))
stdin = sys.stdin.fileno()
stdout = sys.stdout.fileno()
while True:
    readable, _, _ = select.select([stdin, master], [], [])
    if stdin in readable:
        data = os.read(stdin, 65536)
        if not data:
            finish()
        view = memoryview(data)
        while view:
            written = os.write(master, view)
            view = view[written:]
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b''
        if data:
            os.write(stdout, data)
`;

/**
 * Holder of a pty whose master the emulator itself reads and writes (relay `direct`): the
 * emulator opens /dev/ptmx and passes the master as fd 3; this python3 script unlocks it, puts
 * the slave in raw mode, links it at argv[1], closes its copy of the master and keeps the slave
 * open (so the host closing and reopening the port does not hang the pty up) until SIGTERM or
 * the end of its stdin. No byte passes through it. The ioctl numbers are Linux's generic ones
 * (TIOCSPTLCK, TIOCGPTN), as on x86-64 and arm64.
 */
export const PYTHON_PTY_HOLDER = `${PYTHON_LINK_AND_FINISH}
import tty, fcntl, struct
master = 3
fcntl.ioctl(master, 0x40045431, struct.pack('i', 0))
number = struct.unpack('I', fcntl.ioctl(master, 0x80045430, struct.pack('I', 0)))[0]
slave_path = '/dev/pts/%d' % number
slave = os.open(slave_path, os.O_RDWR | os.O_NOCTTY)
tty.setraw(slave)
os.close(master)
link_slave(slave_path)
while os.read(0, 4096):
    pass
finish()
`;
