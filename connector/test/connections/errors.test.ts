import { isInvalidGrant, isNotConnected, NotConnectedError } from '../../src/connections/errors';
import { OAuthError } from '../../src/connections/oauthClient';

describe('isInvalidGrant', () => {
  it('recognises our OAuth error and jsforce re-wrapping of it ("Unable to refresh session due to: …")', () => {
    const ours = new OAuthError('invalid_grant', 'expired access/refresh token', 400);
    expect(isInvalidGrant(ours)).toBe(true);
    expect(isInvalidGrant(new Error(`Unable to refresh session due to: ${ours.message}`))).toBe(true);
    // jsforce's own OAuth2 client: name = error, message = error_description.
    const jsforceStyle = Object.assign(new Error('expired access/refresh token'), { name: 'invalid_grant' });
    expect(isInvalidGrant(jsforceStyle)).toBe(true);
    expect(isInvalidGrant(new Error('Unable to refresh session due to: expired access/refresh token'))).toBe(true);
  });

  it('is false for transient and unrelated errors', () => {
    expect(isInvalidGrant(new OAuthError('network', 'could not reach'))).toBe(false);
    expect(isInvalidGrant(new Error('INVALID_SESSION_ID: Session expired or invalid'))).toBe(false);
    expect(isInvalidGrant('invalid_grant')).toBe(false);
    expect(isInvalidGrant(new NotConnectedError('acc'))).toBe(false);
  });

  it('isNotConnected covers both', () => {
    expect(isNotConnected(new NotConnectedError('acc', 'revoked'))).toBe(true);
    expect(new NotConnectedError('acc').code).toBe('NOT_CONNECTED');
    expect(isNotConnected(new Error('boom'))).toBe(false);
  });
});
