import type { ZodIssue } from 'zod';
import { formatKeyPath } from './substitute-env.js';

/**
 * Turns schema issues into one line each, `<key path>: <problem>`, in the operator's words.
 * Values are echoed only by refinements that chose to (phones, URLs); never a type error's
 * value, so the API key cannot leak through a message.
 */
export function formatConfigIssues(issues: readonly ZodIssue[]): string[] {
  return issues.flatMap((issue) => formatIssue(issue));
}

function describeWhere(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'at top level' : `in ${formatKeyPath(path)}`;
}

function formatIssue(issue: ZodIssue): string[] {
  const where = formatKeyPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `unknown key ${JSON.stringify(key)} ${describeWhere(issue.path)}`);
    case 'invalid_type':
      if (issue.received === 'undefined') return [`${where}: required`];
      return [`${where}: expected ${issue.expected}, got ${issue.received}`];
    case 'invalid_enum_value':
      return [`${where}: expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`];
    case 'too_small':
      if (issue.type === 'array')
        return [`${where}: ${issue.message === 'Required' ? 'required' : issue.message}`];
      if (issue.type === 'number')
        return [`${where}: must be ${issue.inclusive ? 'at least' : 'above'} ${issue.minimum}`];
      return [`${where}: ${issue.message}`];
    case 'too_big':
      if (issue.type === 'number') return [`${where}: must be at most ${issue.maximum}`];
      return [`${where}: ${issue.message}`];
    default:
      return [`${where || 'top level'}: ${issue.message}`];
  }
}
