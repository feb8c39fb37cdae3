import { soqlInLists, soqlString } from '../../src/salesforce/soql';

// SOQL and SOSL Reference, "Quoted String Escape Sequences".
describe('soqlString (SOQL "Quoted String Escape Sequences")', () => {
  it('quotes plain text unchanged', () => {
    expect(soqlString('jane@gmail.com')).toBe("'jane@gmail.com'");
  });
  it('escapes the backslash first, then the quote, so an added backslash is never doubled', () => {
    expect(soqlString("o'brien@x.com")).toBe("'o\\'brien@x.com'");
    expect(soqlString('a\\b@x.com')).toBe("'a\\\\b@x.com'");
    expect(soqlString("\\'")).toBe("'\\\\\\''");
  });
  it('escapes double quote, newline, carriage return, tab, backspace and form feed', () => {
    expect(soqlString('"\n\r\t\b\f')).toBe("'\\\"\\n\\r\\t\\b\\f'");
  });
  it('cannot be broken out of: no unescaped quote remains inside the literal', () => {
    const hostile = "x' OR Email != '' OR Email = '\\";
    const inner = soqlString(hostile).slice(1, -1);
    // Every quote inside is preceded by an odd number of backslashes.
    for (const m of inner.matchAll(/(\\*)'/g)) expect(m[1].length % 2).toBe(1);
  });
});

describe('soqlInLists (GET URL limit ~16 KB → HTTP 414)', () => {
  it('makes no list for no values (an empty IN must never be sent)', () => {
    expect(soqlInLists([])).toEqual([]);
  });
  it('joins escaped values into one list when they fit', () => {
    expect(soqlInLists(['a@x.com', "b'@x.com"])).toEqual(["('a@x.com','b\\'@x.com')"]);
  });
  it('chunks 2,000 emails so every list stays under the bound and keeps every value once', () => {
    const emails = Array.from({ length: 2000 }, (_, i) => `person.number.${i}@example-company.com`);
    const lists = soqlInLists(emails);
    expect(lists.length).toBeGreaterThan(1);
    for (const l of lists) expect(encodeURIComponent(l).length).toBeLessThanOrEqual(12_000);
    const back = lists.flatMap((l) =>
      l
        .slice(1, -1)
        .split(',')
        .map((s) => s.slice(1, -1)),
    );
    expect(back).toEqual(emails);
  });
});
