/**
 * Parses one JSON text like `JSON.parse`, but throws on a key repeated in one object, which
 * `JSON.parse` silently resolves (last one wins) and strict ingesters reject.
 */
export function parseStrictJson(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  let at = 0;
  const ws = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at += 1;
  };
  const str = (): string => {
    const start = at;
    at += 1; // opening quote
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at += 1;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const val = (path: string): void => {
    ws();
    const c = text[at];
    if (c === '{') {
      at += 1;
      const seen = new Set<string>();
      ws();
      if (text[at] === '}') {
        at += 1;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        if (seen.has(key)) throw new Error(`duplicate key "${key}" in ${path || 'the top-level object'}`);
        seen.add(key);
        ws();
        at += 1; // colon
        val(`${path}.${key}`);
        ws();
        if (text[at++] === '}') return;
      }
    }
    if (c === '[') {
      at += 1;
      ws();
      if (text[at] === ']') {
        at += 1;
        return;
      }
      for (let i = 0; ; i += 1) {
        val(`${path}[${i}]`);
        ws();
        if (text[at++] === ']') return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (at < text.length && !',}] \t\n\r'.includes(text[at] as string)) at += 1;
  };
  val('');
  return value;
}
