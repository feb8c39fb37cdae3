import { randomBytes, randomInt } from 'node:crypto';

// Salesforce ids: 3-char key prefix, 12 base-62 chars, then a 3-char case-safe suffix
// (Salesforce Help "What is a Salesforce ID?"; the suffix encodes which of the 15 chars are upper case).
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let out = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX.charAt(bits);
  }
  return out;
}

/** An 18-char id: prefix + pod/instance chars + a counter, like `003bm00000AbCdEfGH`. */
export function makeId(prefix: string, serial: number): string {
  let n = serial;
  let tail = '';
  for (let i = 0; i < 7; i++) {
    tail = B62.charAt(n % 62) + tail;
    n = Math.floor(n / 62);
  }
  const id15 = prefix + 'bm' + '000' + tail;
  return id15 + caseSafeSuffix(id15);
}

export function isId(s: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s);
}

/** Both forms of one id compare equal (15-char case-sensitive, 18-char case-safe). */
export function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

export function randomOrgId(): string {
  const id15 = '00D' + 'bm' + '0000' + Array.from({ length: 6 }, () => B62.charAt(randomInt(62))).join('');
  return id15 + caseSafeSuffix(id15);
}

export function randomToken(len = 40): string {
  return Array.from(randomBytes(len), (b) => B62.charAt(b % 62)).join('');
}
