import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeDeliverPdu, decodePdu, toDecodeJson } from '../../src/sms/index.js';

/**
 * The shared SMS-DELIVER vectors (test-vectors/README.md): `doc` cases are worked examples from
 * public documentation, `gammu` cases were built and checked against libgammu, `hand` cases were
 * built from the TS 23.038 tables. The copy in test/fixtures is what runs; when the shared
 * original sits beside the repository it must not have drifted from the copy.
 */
interface Vector {
  id: string;
  pdu: string;
  tpduLength: number;
  expect: unknown;
  source: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturePath = path.join(repoRoot, 'test/fixtures/sms-deliver.jsonl');
const sharedPath = path.resolve(repoRoot, '../shared/test-vectors/sms-deliver.jsonl');

function loadVectors(file: string): Vector[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Vector);
}

const vectors = loadVectors(fixturePath);

describe('sms-deliver.jsonl vectors', () => {
  it('holds the 38 published cases', () => {
    expect(vectors).toHaveLength(38);
  });

  it.skipIf(!existsSync(sharedPath))('the fixture copy matches the shared original', () => {
    expect(loadVectors(sharedPath)).toEqual(vectors);
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s decodes to the expected object', (_id, vector) => {
    const decoded = decodePdu(vector.pdu);
    expect(decoded.type).toBe('deliver');
    if (decoded.type !== 'deliver') return;
    expect(toDecodeJson(decoded)).toEqual(vector.expect);
    // Key order is part of the contract (JSON Lines are compared as text by scripts).
    expect(JSON.stringify(toDecodeJson(decoded))).toBe(JSON.stringify(vector.expect));
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s decodes without its SMSC field too', (_id, vector) => {
    const smscOctets = Number.parseInt(vector.pdu.slice(0, 2), 16) + 1;
    const tpdu = vector.pdu.slice(smscOctets * 2);
    expect(tpdu.length / 2).toBe(vector.tpduLength);
    const decoded = decodeDeliverPdu(tpdu, { hasSmsc: false });
    expect({ ...toDecodeJson(decoded), smsc: null }).toEqual({ ...(vector.expect as object), smsc: null });
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s decodes from lowercase hex', (_id, vector) => {
    expect(toDecodeJson(decodeDeliverPdu(vector.pdu.toLowerCase()))).toEqual(vector.expect);
  });
});
