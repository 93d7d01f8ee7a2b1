import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ko } from '../i18n/ko';
import { translate } from '../i18n/translate';
import { errorText } from '../lib/errorText';
import { previewInfo } from './client';
import { ApiError, codeForStatus, parseErrorBody, toApiError } from './errors';

describe('parseErrorBody', () => {
  it('reads the API JSON error', () => {
    const e = parseErrorBody(422, '{"error":{"code":"invalid_option","message":"quality: expected an integer from 1 to 100, got 150","field":"quality"}}');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('invalid_option');
    expect(e.field).toBe('quality');
    expect(e.message).toMatch(/got 150/);
  });
  it('an empty field is no field', () => {
    expect(parseErrorBody(401, '{"error":{"code":"unauthorized","message":"x","field":""}}').field).toBeNull();
  });
  it('a body that is not the API JSON gets a code from the status', () => {
    expect(parseErrorBody(502, '<html>Bad gateway</html>').code).toBe('internal');
    expect(parseErrorBody(413, '').code).toBe('too_large');
    expect(parseErrorBody(404, '{"message":"x"}').code).toBe('not_found');
    expect(parseErrorBody(400, '{"error":"flat"}').code).toBe('invalid_request');
  });
  it('codes for statuses', () => {
    expect(codeForStatus(0)).toBe('network');
    expect(codeForStatus(429)).toBe('rate_limited');
    expect(codeForStatus(503)).toBe('unavailable');
    expect(codeForStatus(418)).toBe('invalid_request');
  });
  it('toApiError wraps fetch failures as network errors', () => {
    expect(toApiError(new TypeError('Failed to fetch')).code).toBe('network');
    const e = new ApiError(409, 'conflict', 'x');
    expect(toApiError(e)).toBe(e);
    expect(toApiError('boom').message).toBe('boom');
  });
});

describe('errorText', () => {
  const tEn = (k: string, v?: Record<string, string | number>) => translate('en', k, v);
  const tKo = (k: string, v?: Record<string, string | number>) => translate('ko', k, v);
  it('a localized sentence for the code and the server message under it', () => {
    const e = new ApiError(413, 'too_large', 'files: big.jpg is larger than 20 MiB', 'files');
    expect(errorText(e, tEn)).toEqual({ summary: en['error.too_large'], detail: 'files: big.jpg is larger than 20 MiB' });
    expect(errorText(e, tKo).summary).toBe(ko['error.too_large']);
  });
  it('login: a wrong password is said plainly', () => {
    expect(errorText(new ApiError(401, 'unauthorized', 'wrong email or password'), tEn, 'login')).toEqual({
      summary: en['error.login'],
      detail: null,
    });
  });
  it('network errors have no raw detail; unknown codes get the generic title', () => {
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch'), tEn)).toEqual({ summary: en['error.network'], detail: null });
    expect(errorText(new ApiError(400, 'brand_new_code', 'something'), tEn)).toEqual({ summary: en['error.title'], detail: 'something' });
  });
});

describe('previewInfo', () => {
  it('reads the X-Output-* headers, with the estimate as a fallback', () => {
    const h = new Headers({ 'X-Output-Width': '800', 'X-Output-Height': '500', 'X-Output-Format': 'webp', 'X-Estimated-Output-Bytes': '34478' });
    expect(previewInfo(h)).toEqual({ width: 800, height: 500, bytes: 34478, estimated: true, format: 'webp' });
    h.set('X-Output-Bytes', '34000');
    expect(previewInfo(h)).toMatchObject({ bytes: 34000, estimated: false });
    expect(previewInfo(new Headers())).toEqual({ width: null, height: null, bytes: null, estimated: true, format: null });
  });
});
