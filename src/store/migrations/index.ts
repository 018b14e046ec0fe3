import type { Migration } from '../database.js';
import { migration001Core } from './001-core.js';
import { migration002Reseller } from './002-reseller.js';
import { migration003MultipartIdentity } from './003-multipart-identity.js';

/**
 * Every schema migration, in version order (1..n, no gaps). Append new ones at the end, one line
 * each; never edit or reorder one that has shipped.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001Core,
  migration002Reseller,
  migration003MultipartIdentity,
];
