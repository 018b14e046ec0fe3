import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPortPatterns, segmentPattern } from '../../src/modem/port-glob.js';

describe('segmentPattern', () => {
  it.each([
    ['*', 'slot01-at', true],
    ['slot??-at', 'slot01-at', true],
    ['slot??-at', 'slot1-at', false],
    ['ttyUSB*', 'ttyUSB12', true],
    ['ttyUSB*', 'ttyACM0', false],
    ['*-port0', 'platform-usb-0:1.3:1.2-port0', true],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ])('%s matches %s: %s', (segment, name, expected) => {
    expect(segmentPattern(segment).test(name)).toBe(expected);
  });
});

describe('expandPortPatterns', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simbridge-glob-'));
    await mkdir(join(dir, 'gsm'));
    await mkdir(join(dir, 'by-path', 'x'), { recursive: true });
    // Links to /dev/null stand for ttys: what matters is that they resolve to a character device.
    for (const name of ['slot01-at', 'slot02-at', 'slot10-at', '.hidden'])
      await symlink('/dev/null', join(dir, 'gsm', name));
    await symlink('/dev/null', join(dir, 'by-path', 'x', 'usb-0:1.2-port0'));
    // What the udev rules create next to the AT links, and stray files: never ports.
    await mkdir(join(dir, 'gsm', 'probe'));
    await symlink('/dev/null', join(dir, 'gsm', 'probe', 'usb-0:1.3:1.1'));
    await writeFile(join(dir, 'gsm', 'notes.txt'), 'not a tty');
    await symlink(join(dir, 'gsm', 'slot01-at'), join(dir, 'link-at'));
    await symlink(join(dir, 'missing'), join(dir, 'dangling-at'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('expands wildcards in the last segment, sorted, hidden entries excluded', async () => {
    expect(await expandPortPatterns([`${dir}/gsm/*`])).toEqual(
      ['slot01-at', 'slot02-at', 'slot10-at'].map((n) => join(dir, 'gsm', n)),
    );
    expect(await expandPortPatterns([`${dir}/gsm/slot0?-at`])).toHaveLength(2);
  });

  it('expands wildcards in several segments and keeps plain paths that exist', async () => {
    expect(
      await expandPortPatterns([`${dir}/by-*/*/*-port0`, `${dir}/gsm/slot10-at`, `${dir}/nope`]),
    ).toEqual([join(dir, 'by-path', 'x', 'usb-0:1.2-port0'), join(dir, 'gsm', 'slot10-at')]);
  });

  it('follows symlinks, drops dangling ones and duplicates', async () => {
    expect(await expandPortPatterns([`${dir}/*-at`, `${dir}/link-at`])).toEqual([join(dir, 'link-at')]);
  });

  it('matches character devices only: a folder or a plain file under the glob is no port', async () => {
    const found = await expandPortPatterns([`${dir}/gsm/*`, `${dir}/gsm/notes.txt`, `${dir}/gsm/probe`]);
    expect(found).not.toContain(join(dir, 'gsm', 'probe'));
    expect(found).not.toContain(join(dir, 'gsm', 'notes.txt'));
    expect(found).toHaveLength(3);
    expect(await expandPortPatterns([`${dir}/gsm/probe/*`])).toEqual([
      join(dir, 'gsm', 'probe', 'usb-0:1.3:1.1'),
    ]);
  });

  it('returns nothing for a missing directory', async () => {
    expect(await expandPortPatterns([`${dir}/none/*`])).toEqual([]);
  });
});
