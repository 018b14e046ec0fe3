import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, type SqliteDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { WalSyncer, walSyncerOf } from '../../src/store/wal-sync.js';
import { WriteBatcher } from '../../src/store/write-batcher.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function fileDb(options: { syncOffMainThread?: boolean } = {}): { db: SqliteDatabase; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-walsync-'));
  const path = join(dir, 'simbridge.db');
  const db = openDatabase(path, options);
  runMigrations(db, MIGRATIONS);
  cleanups.push(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, path };
}

const insert = (db: SqliteDatabase, name: string) => () =>
  db.prepare('INSERT INTO counters (name, value) VALUES (?, 1)').run(name);

describe('commits synced off the main thread', () => {
  it('by default COMMIT syncs by itself (FULL) and no batch waits for a separate sync', () => {
    const { db } = fileDb();
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(walSyncerOf(db)).toBeNull();
  });

  it('with syncOffMainThread a batch settles only after an fdatasync of the WAL', async () => {
    const { db, path } = fileDb({ syncOffMainThread: true });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const syncer = walSyncerOf(db);
    expect(syncer).not.toBeNull();
    const batcher = new WriteBatcher(db);
    const before = syncer?.syncs ?? 0;
    const syncsWhenSettled = await batcher.run(insert(db, 't1')).then(() => syncer?.syncs ?? 0);
    expect(syncsWhenSettled).toBe(before + 1);
    db.close();
    const reopened = openDatabase(path);
    cleanups.push(() => reopened.close());
    expect(reopened.prepare("SELECT COUNT(*) FROM counters WHERE name = 't1'").pluck().get()).toBe(1);
  });

  it('keeps the WAL open between syncs and lets a closed one be reopened', async () => {
    const { db } = fileDb({ syncOffMainThread: true });
    const syncer = walSyncerOf(db) as WalSyncer;
    const before = syncer.syncs;
    await Promise.all([syncer.sync(), syncer.sync(), syncer.sync()]);
    expect(syncer.syncs - before).toBe(3);
    await syncer.close();
    const batcher = new WriteBatcher(db);
    await batcher.run(insert(db, 't3'));
    expect(syncer.syncs - before).toBe(4);
  });

  it('a failed sync rejects every unit of the batch as STORE_FAILED (the SMS stays on the SIM)', async () => {
    const { db, path } = fileDb({ syncOffMainThread: true });
    // A path under a file, not a directory: the open fails.
    const syncer = new WalSyncer(join(path, 'not-a-directory-wal'));
    await expect(syncer.sync()).rejects.toMatchObject({ code: 'ENOTDIR' });
    // The batcher takes the syncer registered for its connection; swap in the failing one.
    const registered = walSyncerOf(db) as WalSyncer;
    registered.sync = () => syncer.sync();
    const batcher = new WriteBatcher(db);
    await expect(batcher.run(insert(db, 't2'))).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });
});
