import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Log ids (accountId, orgId, eventId, responseId), never answers, emails,
 * names or tokens. The redact list is a safety net for mistakes, not a licence to log secrets.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'credspark-connector' },
      redact: {
        paths: [
          '*.access_token',
          '*.refresh_token',
          '*.accessToken',
          '*.refreshToken',
          '*.authorization',
          '*.client_secret',
          '*.code_verifier',
          '*.password',
          'req.headers.authorization',
          'req.headers["credspark-signature"]',
          '*.email',
          '*.Email',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
