import { migration001Core } from './001-core.js';
import { migration002Reseller } from './002-reseller.js';
import { migration003MultipartIdentity } from './003-multipart-identity.js';
import { migration004FarmNodes } from './004-farm-nodes.js';
import { migration005Rent } from './005-rent.js';
import { migration006SimNumbers } from './006-sim-numbers.js';
import { migration007MessagesReceived } from './007-messages-received.js';
import type { DualMigration } from './types.js';

export type { DualMigration } from './types.js';

/**
 * Every schema migration, in version order (1..n, no gaps), for both backends: SQLite runs each
 * one's `sql`, PostgreSQL its `postgres`. Append new ones at the end, one line each; never edit
 * or reorder one that has shipped.
 */
export const MIGRATIONS: readonly DualMigration[] = [
  migration001Core,
  migration002Reseller,
  migration003MultipartIdentity,
  migration004FarmNodes,
  migration005Rent,
  migration006SimNumbers,
  migration007MessagesReceived,
];
