import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts OAuth tokens (and PKCE verifiers) at rest with AES-256-GCM.
 *
 * Format (one string, every part base64 except the version):
 *   `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * - keyId: the first 8 base64 characters of SHA-256(key) — says which key sealed the value
 *   without revealing it.
 * - iv: 12 random bytes per value (GCM's recommended nonce size; never reused with a key).
 * - tag: the 16-byte GCM authentication tag — a changed byte anywhere makes decrypt throw.
 *
 * Key rotation (TOKEN_ENCRYPTION_KEY is comma-separated): the FIRST key encrypts, every listed
 * key decrypts. To rotate: put the new key first and keep the old one after it; tokens written
 * from then on use the new key, old ones still open (and are re-sealed with the new key the
 * next time they are refreshed or the account reconnects). Drop the old key once no stored
 * value names its keyId.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly currentKeyId: string;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = new Map();
    for (const key of keys) {
      if (key.length !== 32) throw new Error('TOKEN_ENCRYPTION_KEY entries must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(keys[0]);
  }

  encrypt(plain: string): string {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The version and key id are authenticated too: a value cannot be re-labelled to another key.
    cipher.setAAD(Buffer.from(`${VERSION}:${this.currentKeyId}`));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.currentKeyId, iv.toString('base64'), tag.toString('base64'), ct.toString('base64')].join(':');
  }

  decrypt(sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('Unrecognised encrypted token format');
    const [version, keyId, ivB64, tagB64, ctB64] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`No configured TOKEN_ENCRYPTION_KEY has key id ${keyId}`);
    const iv = Buffer.from(ivB64, 'base64');
    const tag = Buffer.from(tagB64, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Malformed encrypted token');
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${version}:${keyId}`));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ctB64, 'base64')), decipher.final()]).toString('utf8');
  }

  /** The key id a sealed value was written with (for rotation reports). */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split(':')[1];
  }
}

/** Short, non-secret fingerprint of a key (48 bits of SHA-256: enough to tell keys apart). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}
