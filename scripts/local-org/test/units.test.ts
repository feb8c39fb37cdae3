// Pure units: ids, value text and the SOQL lexer/parser.
import { caseSafeSuffix, makeId, sameId } from '../src/ids';
import { lex } from '../src/soql/lexer';
import { parseSoql } from '../src/soql/parser';
import { textOf } from '../src/text';

describe('ids', () => {
  it('computes the case-safe suffix (Salesforce Help "What is a Salesforce ID?": 001A0000006Vm9r → …IAC)', () => {
    expect(caseSafeSuffix('001A0000006Vm9r')).toBe('IAC');
  });
  it('makes 18-char ids with the key prefix whose 15-char form compares equal', () => {
    const id = makeId('003', 123456);
    expect(id).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(id.slice(15)).toBe(caseSafeSuffix(id.slice(0, 15)));
    expect(sameId(id, id.slice(0, 15))).toBe(true);
    expect(makeId('003', 1)).not.toBe(makeId('003', 2));
  });
});

describe('textOf', () => {
  it('writes scalars as String() does and objects and arrays as JSON, never [object Object]', () => {
    expect([textOf('a b'), textOf(12.5), textOf(false), textOf(null), textOf(undefined)]).toEqual([
      'a b',
      '12.5',
      'false',
      'null',
      'undefined',
    ]);
    expect(textOf({ Id: '003' })).toBe('{"Id":"003"}');
    expect(textOf(['x', 1])).toBe('["x",1]');
  });
});

describe('SOQL lexer and parser (SOQL and SOSL Reference "Quoted String Escape Sequences")', () => {
  it('unescapes \\n \\r \\t \\b \\f \\" \\\' \\\\ in string literals', () => {
    const [, , , str] = lex("a = b 'x\\ny\\rz\\tw\\b\\f\\\"\\'\\\\'");
    expect(str).toMatchObject({ k: 'str', v: 'x\ny\rz\tw\b\f"\'\\' });
  });
  it('rejects an unknown escape such as \\q as MALFORMED_QUERY', () => {
    expect(() => lex("'\\q'")).toThrow(expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }));
  });
  it('parses precedence: AND binds tighter than OR; NOT and parentheses', () => {
    const s = parseSoql('SELECT Id FROM Lead WHERE A__c = 1 OR B__c = 2 AND NOT (C__c = 3)');
    expect(s.where).toMatchObject({
      t: 'or',
      items: [{ t: 'cmp' }, { t: 'and', items: [{ t: 'cmp' }, { t: 'not', c: { t: 'cmp' } }] }],
    });
  });
  it('reads date and datetime literals, negative numbers and NULLS LAST', () => {
    const s = parseSoql(
      'SELECT Id FROM Lead WHERE CreatedDate > 2026-11-28T19:00:00+01:00 AND Birthdate = 2000-01-01 AND X__c > -1.5 ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 2',
    );
    expect(s.where).toMatchObject({
      items: [
        { lit: { t: 'datetime', v: '2026-11-28T19:00:00+01:00' } },
        { lit: { t: 'date', v: '2000-01-01' } },
        { lit: { t: 'num', v: -1.5 } },
      ],
    });
    expect(s.orderBy).toEqual([expect.objectContaining({ path: 'Name', desc: true, nullsLast: true })]);
    expect([s.limit, s.offset]).toEqual([5, 2]);
  });
  it.each([
    'SELECT FROM Contact',
    'SELECT Id Contact',
    'SELECT Id FROM Contact WHERE Email =',
    'SELECT Id FROM Contact LIMIT x',
    "SELECT Id FROM Contact WHERE Email IN ('a',)",
  ])('%s is MALFORMED_QUERY', (q) => {
    expect(() => parseSoql(q)).toThrow(expect.objectContaining({ errorCode: 'MALFORMED_QUERY' }));
  });
});
