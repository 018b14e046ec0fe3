/**
 * The sender deny-list (`filter.denySenders`). Pattern syntax, chosen for operators who are not
 * programmers:
 * - `/regex/flags`: a JavaScript regular expression tested against the sender as the SMS carries
 *   it (`/^900$/`, `/bank/i`);
 * - anything else: a plain, case-insensitive substring (`bank` matches `Sberbank`, `BANK-INFO`).
 * A message whose sender matches any entry is stored as `filtered` and never pushed: Onlinesim
 * would only answer BAD_SERVICE for banks and payment systems.
 */
export type SenderFilter = (sender: string) => boolean;

/**
 * Compiles one pattern: `/regex/flags` to a `RegExp` (`g` and `y` dropped, as they would make
 * `test` remember where it stopped), anything else to its lower-case substring.
 *
 * @throws SyntaxError for an invalid regular expression or flags (the config schema reports it).
 */
export function compileSenderPattern(pattern: string): RegExp | string {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return pattern.toLowerCase();
  const source = regex[1] ?? '';
  const flags = regex[2] ?? '';
  const compiled = new RegExp(source, flags);
  return /[gy]/.test(flags) ? new RegExp(source, flags.replace(/[gy]/g, '')) : compiled;
}

/** Compiles the patterns once; the returned function is true when the sender is denied. */
export function compileSenderFilter(patterns: readonly string[]): SenderFilter {
  const regexes: RegExp[] = [];
  const substrings: string[] = [];
  for (const pattern of patterns) {
    const compiled = compileSenderPattern(pattern);
    if (typeof compiled === 'string') substrings.push(compiled);
    else regexes.push(compiled);
  }
  return (sender) => {
    const lower = sender.toLowerCase();
    return substrings.some((s) => lower.includes(s)) || regexes.some((r) => r.test(sender));
  };
}
