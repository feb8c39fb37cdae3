import { classifySalesforceError } from '../../src/salesforce/errors';

class HttpApiErrorLike extends Error {
  constructor(
    message: string,
    public errorCode: string,
  ) {
    super(message);
    this.name = errorCode;
  }
}

// REST API Developer Guide, "Status Codes and Error Responses"; sObject Collections per-record statusCode.
describe('classifySalesforceError', () => {
  it.each([
    ['UNABLE_TO_LOCK_ROW', true],
    ['REQUEST_LIMIT_EXCEEDED', true],
    ['INVALID_SESSION_ID', true],
    ['SERVER_UNAVAILABLE', true],
    ['ERROR_HTTP_503', true],
    ['ERROR_HTTP_500', true],
    ['ERROR_HTTP_429', true],
    ['REQUIRED_FIELD_MISSING', false],
    ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', false],
    ['CANNOT_UPDATE_CONVERTED_LEAD', false],
    ['MALFORMED_QUERY', false],
    ['ERROR_HTTP_400', false],
  ])('jsforce errorCode %s → retryable %s', (code, retryable) => {
    const c = classifySalesforceError(new HttpApiErrorLike('msg', code));
    expect(c).toMatchObject({ retryable, code });
  });
  it('reads per-record collection errors by statusCode', () => {
    expect(classifySalesforceError({ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'lock' })).toMatchObject({
      retryable: true,
      code: 'UNABLE_TO_LOCK_ROW',
    });
    expect(classifySalesforceError({ statusCode: 'DUPLICATES_DETECTED', message: 'dup' })).toMatchObject({
      retryable: false,
      code: 'DUPLICATES_DETECTED',
      message: 'dup',
    });
  });
  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED'])('network error %s is retryable', (code) => {
    const err = Object.assign(new Error('socket'), { code });
    expect(classifySalesforceError(err)).toMatchObject({ retryable: true, code });
  });
  it('a network error wrapped as a fetch cause is retryable', () => {
    const err = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(classifySalesforceError(err)).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });
  it("a failed refresh (jsforce's plain Error with the OAuth text) is NOT_CONNECTED, not retryable", () => {
    const c = classifySalesforceError(new Error('invalid_grant: expired access/refresh token'));
    expect(c).toEqual({
      retryable: false,
      code: 'NOT_CONNECTED',
      message: 'invalid_grant: expired access/refresh token',
    });
  });
  it('REQUEST_LIMIT_EXCEEDED carries a long backoff hint', () => {
    expect(
      classifySalesforceError(new HttpApiErrorLike('limit', 'REQUEST_LIMIT_EXCEEDED')).retryAfterMs,
    ).toBeGreaterThanOrEqual(60_000);
  });
  it('an unknown plain error is permanent and keeps its message', () => {
    expect(classifySalesforceError(new Error('weird'))).toEqual({
      retryable: false,
      code: 'SALESFORCE_ERROR',
      message: 'weird',
    });
    expect(classifySalesforceError('text')).toMatchObject({ retryable: false, message: 'text' });
  });
});
