import { signatureHeader, signPayload, verifySignature } from '../../src/intake/signature';

const body = Buffer.from('{"id":"evt_1","type":"response.completed"}');
const now = 1_795_000_000_000; // ms
const t = Math.floor(now / 1000);
const A = 'secret_a_0123456789';
const B = 'secret_b_0123456789';

describe('CredSpark-Signature verification (SPEC §4)', () => {
  it('accepts a signature computed as HMAC-SHA256(secret, "<t>.<raw body>")', () => {
    const header = `t=${t},v1=${signPayload(A, t, body)}`;
    expect(verifySignature(header, body, [A], now)).toEqual({ ok: true });
  });

  it('accepts during secret rotation: several v1 entries against several configured secrets', () => {
    // CredSpark signs with old and new secret; the connector knows only the new one, or both.
    const header = signatureHeader([A, B], body, t);
    expect(verifySignature(header, body, [B], now)).toEqual({ ok: true });
    expect(verifySignature(`t=${t},v1=${signPayload(B, t, body)}`, body, [A, B], now)).toEqual({ ok: true });
  });

  it('rejects a signature made with an unknown secret', () => {
    expect(verifySignature(signatureHeader(['other_secret_xyz'], body, t), body, [A, B], now)).toMatchObject({
      ok: false,
      reason: 'no signature matches',
    });
  });

  it('rejects a tampered body (one byte changed)', () => {
    const header = signatureHeader([A], body, t);
    const tampered = Buffer.from(body);
    tampered[5] ^= 1;
    expect(verifySignature(header, tampered, [A], now).ok).toBe(false);
  });

  it('rejects a body re-serialised with other whitespace: the raw bytes are signed', () => {
    const header = signatureHeader([A], body, t);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifySignature(header, reformatted, [A], now).ok).toBe(false);
  });

  it('accepts a timestamp exactly 300 s away and rejects 301 s, in both directions', () => {
    for (const skew of [300, -300])
      expect(verifySignature(signatureHeader([A], body, t + skew), body, [A], now).ok).toBe(true);
    for (const skew of [301, -301]) {
      expect(verifySignature(signatureHeader([A], body, t + skew), body, [A], now)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/tolerance/),
      });
    }
  });

  it('compares in whole unix seconds: 300 s old stays valid for the whole of that second, 301 s never', () => {
    const lateInSecond = now + 999; // the server's clock is rarely on a second boundary
    expect(verifySignature(signatureHeader([A], body, t - 300), body, [A], lateInSecond).ok).toBe(true);
    expect(verifySignature(signatureHeader([A], body, t + 300), body, [A], lateInSecond).ok).toBe(true);
    expect(verifySignature(signatureHeader([A], body, t - 301), body, [A], lateInSecond).ok).toBe(false);
    expect(verifySignature(signatureHeader([A], body, t + 301), body, [A], lateInSecond).ok).toBe(false);
  });

  it('rejects a replayed timestamp even with a valid HMAC for it', () => {
    const old = t - 3600;
    expect(verifySignature(`t=${old},v1=${signPayload(A, old, body)}`, body, [A], now).ok).toBe(false);
  });

  it.each([
    ['missing header', undefined, /missing/],
    ['empty header', '', /missing/],
    ['no timestamp', `v1=${'a'.repeat(64)}`, /timestamp/],
    ['non-numeric timestamp', `t=abc,v1=${'a'.repeat(64)}`, /timestamp/],
    ['no v1', `t=${t}`, /v1/],
    ['v1 of wrong length', `t=${t},v1=abcd`, /v1/],
    ['v1 not hex', `t=${t},v1=${'z'.repeat(64)}`, /v1/],
    ['garbage', 'hello world', /timestamp/],
    ['only a v0 scheme', `t=${t},v0=${signPayload(A, t, body)}`, /v1/],
  ])('rejects a malformed header: %s', (_name, header, reason) => {
    expect(verifySignature(header, body, [A], now)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('ignores unknown schemes next to a valid v1 and tolerates spaces', () => {
    const header = `t=${t}, v0=deadbeef, v1=${signPayload(A, t, body)}`;
    expect(verifySignature(header, body, [A], now).ok).toBe(true);
  });

  it('accepts an uppercase hex digest', () => {
    expect(verifySignature(`t=${t},v1=${signPayload(A, t, body).toUpperCase()}`, body, [A], now).ok).toBe(true);
  });
});
