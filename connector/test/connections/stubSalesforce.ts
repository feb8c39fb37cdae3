import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * A deliberately small Salesforce stand-in for cases the shared local org may not offer:
 * refresh-token rotation ("Refresh Token Rotation" connected app policy) and Metadata API
 * results with `success: false`. It implements the documented wire formats only (OAuth token,
 * identity URL, the connected-user query, revoke, REST 401 INVALID_SESSION_ID, SOAP upsertMetadata / INVALID_SESSION_ID
 * fault). Everything else is tested against the local org.
 */
export interface StubSalesforce {
  url: string;
  orgId: string;
  userId: string;
  clientId: string;
  clientSecret: string;
  /** Issue a new refresh token on every refresh (and revoke the old one). */
  rotateRefreshTokens: boolean;
  /** fullNames the Metadata API refuses. */
  refuseFullNames: Set<string>;
  calls: { token: number; refresh: number; metadata: number; rest: number; revoke: number };
  upserted: Array<{ fullName: string; values: Record<string, string> }>;
  refreshTokens: Set<string>;
  accessTokens: Set<string>;
  /** Every secret it ever handed out (tokens, codes) — for leak scans. */
  issued: string[];
  /** Authorizes like the consent page's Allow: returns the code Salesforce would redirect with. */
  approve(authorizeUrl: string): { code: string; state: string; redirectUri: string };
  expireSessions(): void;
  revokeAll(): void;
  close(): Promise<void>;
}

export async function startStubSalesforce(): Promise<StubSalesforce> {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(express.text({ type: 'text/xml', limit: '5mb' }));
  const orgId = '00D000000000001EAA';
  const userId = '005000000000001AAA';
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const stub: StubSalesforce = {
    url: '',
    orgId,
    userId,
    clientId: 'stub-client-id',
    clientSecret: 'stub-client-secret',
    rotateRefreshTokens: false,
    refuseFullNames: new Set(),
    calls: { token: 0, refresh: 0, metadata: 0, rest: 0, revoke: 0 },
    upserted: [],
    refreshTokens: new Set(),
    accessTokens: new Set(),
    issued: [],
    approve(authorizeUrl) {
      const u = new URL(authorizeUrl);
      const p = u.searchParams;
      if (p.get('code_challenge_method') !== 'S256') throw new Error('expected code_challenge_method=S256');
      const code = `aPrx${randomBytes(12).toString('hex')}`;
      stub.issued.push(code);
      codes.set(code, { challenge: p.get('code_challenge')!, redirectUri: p.get('redirect_uri')! });
      return { code, state: p.get('state')!, redirectUri: p.get('redirect_uri')! };
    },
    expireSessions() {
      stub.accessTokens.clear();
    },
    revokeAll() {
      stub.accessTokens.clear();
      stub.refreshTokens.clear();
    },
    close: async () => undefined,
  };
  const newAccess = () => {
    const t = `${orgId}!AQ${randomBytes(24).toString('hex')}`;
    stub.accessTokens.add(t);
    stub.issued.push(t);
    return t;
  };
  const newRefresh = () => {
    const t = `5Aep${randomBytes(24).toString('hex')}`;
    stub.refreshTokens.add(t);
    stub.issued.push(t);
    return t;
  };
  const tokenBody = (access: string, refresh?: string) => ({
    access_token: access,
    ...(refresh ? { refresh_token: refresh } : {}),
    instance_url: stub.url,
    id: `${stub.url}/id/${orgId}/${userId}`,
    token_type: 'Bearer',
    issued_at: String(Date.now()),
  });
  const bearer = (h?: string) => (h?.startsWith('Bearer ') ? h.slice(7) : '');

  app.post('/services/oauth2/token', (req, res) => {
    const b = req.body as Record<string, string>;
    if (b.client_id !== stub.clientId || b.client_secret !== stub.clientSecret) {
      res.status(400).json({ error: 'invalid_client', error_description: 'invalid client credentials' });
      return;
    }
    if (b.grant_type === 'authorization_code') {
      stub.calls.token++;
      const saved = codes.get(b.code ?? '');
      codes.delete(b.code ?? '');
      if (!saved || saved.redirectUri !== b.redirect_uri) {
        res.status(400).json({ error: 'invalid_grant', error_description: 'invalid authorization code' });
        return;
      }
      const challenge = createHash('sha256')
        .update(b.code_verifier ?? '')
        .digest('base64url');
      if (challenge !== saved.challenge) {
        res.status(400).json({ error: 'invalid_grant', error_description: 'invalid code verifier' });
        return;
      }
      res.json(tokenBody(newAccess(), newRefresh()));
      return;
    }
    if (b.grant_type === 'refresh_token') {
      stub.calls.refresh++;
      if (!stub.refreshTokens.has(b.refresh_token ?? '')) {
        res.status(400).json({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
        return;
      }
      let rotated: string | undefined;
      if (stub.rotateRefreshTokens) {
        stub.refreshTokens.delete(b.refresh_token!);
        rotated = newRefresh();
      }
      res.json(tokenBody(newAccess(), rotated));
      return;
    }
    res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  });

  app.get('/id/:org/:user', (req, res) => {
    if (!stub.accessTokens.has(bearer(req.headers.authorization))) {
      res.status(403).send('Bad_OAuth_Token');
      return;
    }
    res.json({ user_id: userId, organization_id: orgId, username: 'admin@stub.local' });
  });

  // REST API Developer Guide, "Execute a SOQL Query": the one query the stub answers is the connector's
  // lookup of the connected user (SELECT Username FROM User WHERE Id = '<userId>' LIMIT 1).
  app.get('/services/data/:version/query', (req, res) => {
    if (!stub.accessTokens.has(bearer(req.headers.authorization))) {
      res.status(401).json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    if (req.query.q !== `SELECT Username FROM User WHERE Id = '${userId}' LIMIT 1`) {
      res
        .status(400)
        .json([{ message: 'the stub answers only the connected-user query', errorCode: 'MALFORMED_QUERY' }]);
      return;
    }
    res.json({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'User', url: `/services/data/${req.params.version}/sobjects/User/${userId}` },
          Username: 'admin@stub.local',
        },
      ],
    });
  });

  app.post('/services/oauth2/revoke', (req, res) => {
    stub.calls.revoke++;
    const token = (req.body as Record<string, string>).token ?? '';
    if (!stub.refreshTokens.delete(token) && !stub.accessTokens.delete(token)) {
      res.status(400).json({ error: 'unsupported_token_type', error_description: 'this token type is not supported' });
      return;
    }
    stub.accessTokens.clear(); // revoking a refresh token revokes its access tokens
    res.status(200).end();
  });

  app.get('/services/data/:version/limits', (req, res) => {
    stub.calls.rest++;
    if (!stub.accessTokens.has(bearer(req.headers.authorization))) {
      res.status(401).json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    res.json({ DailyApiRequests: { Max: 15000, Remaining: 14999 } });
  });

  app.post('/services/Soap/m/:version', (req, res) => {
    stub.calls.metadata++;
    const xml = String(req.body);
    const session = /<sessionId>([^<]*)<\/sessionId>/.exec(xml)?.[1] ?? '';
    res.type('text/xml');
    if (!stub.accessTokens.has(session)) {
      res
        .status(500)
        .send(
          envelope(
            '<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader</faultstring></soapenv:Fault>',
          ),
        );
      return;
    }
    const results = [...xml.matchAll(/<metadata[^>]*>([\s\S]*?)<\/metadata>/g)].map((m) => {
      const body = m[1]!;
      const fullName = /<fullName>([^<]*)<\/fullName>/.exec(body)?.[1] ?? '';
      const values: Record<string, string> = {};
      for (const v of body.matchAll(
        /<values>\s*<field>([^<]*)<\/field>\s*<value[^>]*?(?:\/>|>([\s\S]*?)<\/value>)\s*<\/values>/g,
      ))
        values[v[1]!] = unescapeXml(v[2] ?? '');
      if (stub.refuseFullNames.has(fullName)) {
        return `<result><created>false</created><errors><message>Label: data value too large</message><statusCode>FIELD_INTEGRITY_EXCEPTION</statusCode></errors><fullName>${fullName}</fullName><success>false</success></result>`;
      }
      stub.upserted.push({ fullName, values });
      return `<result><created>true</created><fullName>${fullName}</fullName><success>true</success></result>`;
    });
    res.send(envelope(`<upsertMetadataResponse>${results.join('')}</upsertMetadataResponse>`));
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise<void>((r) => server.close(() => r()));
  return stub;
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!,
  );
}
