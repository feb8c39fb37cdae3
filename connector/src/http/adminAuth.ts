import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * `Authorization: Bearer <CONNECTOR_ADMIN_TOKEN>` (SPEC §5). Both sides are hashed to 32 bytes so
 * timingSafeEqual compares equal-length buffers and the token's length does not leak either.
 */
export function requireAdmin(adminToken: string): RequestHandler {
  const expected = digest(adminToken);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer');
    res
      .status(401)
      .json({ error: { code: 'UNAUTHORIZED', message: 'A valid Authorization: Bearer <token> header is required' } });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
