import { randomBytes } from 'node:crypto';
import { keyIdOf, TokenCipher } from '../../src/connections/tokenCipher';

const key = () => randomBytes(32);

describe('TokenCipher (AES-256-GCM at rest)', () => {
  it('round-trips a token and never contains it in clear text', () => {
    const cipher = new TokenCipher([key()]);
    const token = '00Dxx0000001gEREAY!AQ4AQFakeAccessTokenValue';
    const sealed = cipher.encrypt(token);
    expect(sealed).not.toContain(token);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(cipher.decrypt(sealed)).toBe(token);
  });

  it('uses a fresh 12-byte IV for every value, so equal tokens seal differently', () => {
    const cipher = new TokenCipher([key()]);
    const a = cipher.encrypt('same');
    const b = cipher.encrypt('same');
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(':')[2]!, 'base64')).toHaveLength(12);
  });

  it('rejects a tampered ciphertext, tag or key id (GCM authentication)', () => {
    const cipher = new TokenCipher([key()]);
    const parts = cipher.encrypt('secret-refresh-token').split(':');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] = buf[0]! ^ 1;
      return buf.toString('base64');
    };
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], parts[3], flip(parts[4]!)].join(':'))).toThrow();
    expect(() => cipher.decrypt([parts[0], parts[1], parts[2], flip(parts[3]!), parts[4]].join(':'))).toThrow();
    expect(() => cipher.decrypt([parts[0], 'AAAAAAAA', parts[2], parts[3], parts[4]].join(':'))).toThrow(/key id/);
    expect(() => cipher.decrypt('plain-text-token')).toThrow(/format/);
  });

  it('rotation: the first key encrypts, older keys still decrypt what they sealed', () => {
    const oldKey = key();
    const newKey = key();
    const before = new TokenCipher([oldKey]).encrypt('refresh-1');
    const rotated = new TokenCipher([newKey, oldKey]);
    expect(rotated.decrypt(before)).toBe('refresh-1');
    const after = rotated.encrypt('refresh-2');
    expect(TokenCipher.keyIdOf(after)).toBe(keyIdOf(newKey));
    // Once the old key is dropped, values it sealed no longer open; new ones do.
    const newOnly = new TokenCipher([newKey]);
    expect(newOnly.decrypt(after)).toBe('refresh-2');
    expect(() => newOnly.decrypt(before)).toThrow(/key id/);
  });

  it('refuses keys that are not 32 bytes and an empty key list', () => {
    expect(() => new TokenCipher([randomBytes(16)])).toThrow(/32 bytes/);
    expect(() => new TokenCipher([])).toThrow();
  });
});
