// SOQL tokens (SOQL and SOSL Reference "Quoted String Escape Sequences", "Date Formats and Date Literals").

export type Tok =
  | { k: 'id'; v: string; pos: number }
  | { k: 'str'; v: string; pos: number }
  | { k: 'num'; v: number; pos: number }
  | { k: 'date'; v: string; pos: number }
  | { k: 'datetime'; v: string; pos: number }
  | { k: 'op'; v: string; pos: number }
  | { k: 'eof'; v: ''; pos: number };

export class SoqlError extends Error {
  constructor(
    public readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

const ESC: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

export function malformed(q: string, pos: number, what: string): SoqlError {
  return new SoqlError(
    'MALFORMED_QUERY',
    `\n${q.slice(Math.max(0, pos - 20), pos + 20)}\n${' '.repeat(Math.min(20, pos))}^\nERROR at Row:1:Column:${pos + 1}\n${what}`,
  );
}

export function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= q.length) throw malformed(q, start, 'unexpected token: unterminated string');
        const ch = q[i];
        if (ch === '\\') {
          const n = q[i + 1];
          if (n === undefined || !(n in ESC))
            throw malformed(
              q,
              i,
              `Invalid string literal '${q.slice(start, i + 2)}'. Illegal character sequence '\\${n ?? ''}' in string literal.`,
            );
          // \_ and \% stay escaped: they only matter to LIKE patterns.
          s += ESC[n];
          i += 2;
          continue;
        }
        if (ch === "'") {
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ k: 'str', v: s, pos: start });
      continue;
    }
    const dt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/.exec(q.slice(i));
    if (dt) {
      out.push({ k: 'datetime', v: dt[0], pos: start });
      i += dt[0].length;
      continue;
    }
    const d = /^\d{4}-\d{2}-\d{2}(?![\d:T])/.exec(q.slice(i));
    if (d) {
      out.push({ k: 'date', v: d[0], pos: start });
      i += d[0].length;
      continue;
    }
    const num = /^[+-]?(\d+(\.\d*)?|\.\d+)(?![A-Za-z_])/.exec(q.slice(i));
    if (num && ((c !== '+' && c !== '-') || prevAllowsSign(out))) {
      out.push({ k: 'num', v: Number(num[0]), pos: start });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(q.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0], pos: start });
      i += id[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>|\(|\)|,|:)/.exec(q.slice(i));
    if (op) {
      out.push({ k: 'op', v: op[0] === '<>' ? '!=' : op[0], pos: start });
      i += op[0].length;
      continue;
    }
    throw malformed(q, i, `unexpected token: '${c}'`);
  }
  out.push({ k: 'eof', v: '', pos: q.length });
  return out;
}

function prevAllowsSign(out: Tok[]): boolean {
  const p = out[out.length - 1];
  return !!p && p.k === 'op' && p.v !== ')';
}
