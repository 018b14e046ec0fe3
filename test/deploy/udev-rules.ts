/**
 * A small udev rules reader for tests: checks the syntax of each rule line the way udev's own
 * parser does (key, operator, quoted value) and evaluates rules against a device's properties,
 * so the naming of each modem family can be asserted without real hardware.
 */
export interface RuleToken {
  key: string;
  attr: string | null;
  op: '==' | '!=' | '=' | '+=' | '-=' | ':=';
  value: string;
}

const TOKEN = /^([A-Z_]+)(?:\{([^}]+)\})?\s*(==|!=|\+=|-=|:=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*|$)/;
const MATCH_KEYS = new Set([
  'ACTION',
  'SUBSYSTEM',
  'SUBSYSTEMS',
  'KERNEL',
  'KERNELS',
  'DRIVERS',
  'ENV',
  'ATTRS',
]);
const ASSIGN_KEYS = new Set([
  'ENV',
  'SYMLINK',
  'GROUP',
  'MODE',
  'GOTO',
  'LABEL',
  'IMPORT',
  'RUN',
  'OWNER',
  'TAG',
]);

export function parseRuleLine(line: string, lineNo: number): RuleToken[] {
  const tokens: RuleToken[] = [];
  let rest = line.trim();
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`line ${lineNo}: cannot parse at "${rest}"`);
    const [whole, key = '', attr, op = '', value = ''] = m;
    const isMatch = op === '==' || op === '!=';
    if (isMatch && !MATCH_KEYS.has(key)) throw new Error(`line ${lineNo}: ${key} cannot be matched`);
    if (!isMatch && !ASSIGN_KEYS.has(key)) throw new Error(`line ${lineNo}: ${key} cannot be assigned`);
    tokens.push({ key, attr: attr ?? null, op: op as RuleToken['op'], value });
    rest = rest.slice(whole.length);
  }
  return tokens;
}

export function parseRules(text: string): RuleToken[][] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), no: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, no }) => parseRuleLine(line, no));
}

function globMatches(pattern: string, value: string): boolean {
  return pattern.split('|').some((alt) => {
    const re = new RegExp(
      `^${alt
        .replace(/[.+^${}()[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return re.test(value);
  });
}

export interface DeviceUnderTest {
  action: string;
  subsystem: string;
  parentSubsystems: string[];
  drivers: string[];
  env: Record<string, string>;
}

export interface Evaluation {
  symlinks: string[];
  env: Record<string, string>;
  group: string | null;
  mode: string | null;
}

/**
 * Evaluates rules in order for one device. IMPORT is assumed to have filled `env` (ID_BUS, ID_PATH,
 * ... as usb_id and path_id would); `udevadm test` is the authority where it is installed.
 */
export function evaluateRules(rules: RuleToken[][], device: DeviceUnderTest): Evaluation {
  const env = { ...device.env };
  const result: Evaluation = { symlinks: [], env, group: null, mode: null };
  let skipTo: string | null = null;
  for (const rule of rules) {
    const label = rule.find((t) => t.key === 'LABEL');
    if (skipTo !== null) {
      if (label?.value === skipTo) skipTo = null;
      continue;
    }
    const matches = rule
      .filter((t) => t.op === '==' || t.op === '!=')
      .every((t) => {
        const test = (candidate: string) => globMatches(t.value, candidate) === (t.op === '==');
        // Parent keys walk the device itself and then its parents, as udev does: a "!=" on one is
        // already true for the tty itself, whatever its parents are.
        if (t.key === 'SUBSYSTEMS') return [device.subsystem, ...device.parentSubsystems].some(test);
        if (t.key === 'DRIVERS') return ['', ...device.drivers].some(test);
        const value =
          t.key === 'ACTION'
            ? device.action
            : t.key === 'SUBSYSTEM'
              ? device.subsystem
              : (env[t.attr ?? ''] ?? '');
        return test(value);
      });
    if (!matches) continue;
    for (const t of rule) {
      const value = t.value.replace(/\$env\{([^}]+)\}/g, (_m, name: string) => env[name] ?? '');
      if (t.key === 'ENV' && t.attr && t.op !== '==' && t.op !== '!=') env[t.attr] = value;
      if (t.key === 'SYMLINK') result.symlinks.push(value);
      if (t.key === 'GROUP') result.group = value;
      if (t.key === 'MODE') result.mode = value;
      if (t.key === 'GOTO') skipTo = value;
    }
  }
  return result;
}
