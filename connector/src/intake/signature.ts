import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CredSpark webhook signatures (SPEC §4, contract):
 *   CredSpark-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]
 *   hex = HMAC-SHA256(secret, "<t>.<raw request body>")
 * Valid when any v1 matches any configured secret and |now − t| ≤ 300 s. Several v1 entries and
 * several secrets exist for rotation. Verified on the raw bytes: re-serialised JSON would differ.
 */
export const SIGNATURE_HEADER = 'credspark-signature';
export const TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** Builds a header value, one v1 per secret (what CredSpark sends during a rotation). */
export function signatureHeader(
  secrets: string[],
  rawBody: Buffer | string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, rawBody)}`)].join(',');
}

export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  secrets: string[],
  nowMs = Date.now(),
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing CredSpark-Signature header' };
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return { ok: false, reason: 'malformed signature timestamp' };
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      candidates.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, future v2) are ignored, as Stripe-style headers do.
  }
  if (timestamp === undefined) return { ok: false, reason: 'signature has no timestamp' };
  if (candidates.length === 0) return { ok: false, reason: 'signature has no v1 entry' };
  // `t` is in whole unix seconds, so `now` is too (as Stripe-style verifiers do): a header signed
  // exactly 300 s ago stays valid for that whole second instead of only its first millisecond.
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > TOLERANCE_SECONDS)
    return { ok: false, reason: 'signature timestamp outside the 300 s tolerance' };
  let match = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signPayload(secret, timestamp, rawBody), 'hex');
    // No early exit: every pair is compared, each in constant time on equal-length (32-byte) buffers.
    for (const c of candidates) if (c.length === expected.length && timingSafeEqual(c, expected)) match = true;
  }
  return match ? { ok: true } : { ok: false, reason: 'no signature matches' };
}
