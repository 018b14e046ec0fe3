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

/** Compiles the patterns once; the returned function is true when the sender is denied. */
export function compileSenderFilter(patterns: readonly string[]): SenderFilter {
  const regexes: RegExp[] = [];
  const substrings: string[] = [];
  for (const pattern of patterns) {
    const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
    if (regex) regexes.push(new RegExp(regex[1] ?? '', (regex[2] ?? '').replace(/[gy]/g, '')));
    else substrings.push(pattern.toLowerCase());
  }
  return (sender) => {
    const lower = sender.toLowerCase();
    return substrings.some((s) => lower.includes(s)) || regexes.some((r) => r.test(sender));
  };
}
