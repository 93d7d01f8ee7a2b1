import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ko } from '../i18n/ko';
import { translate } from '../i18n/translate';
import { errorText, fileNamed, imageFailureText } from '../lib/errorText';
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
  it('a sentence for the code in the reader’s language, the field by its label, the server message under it', () => {
    const e = new ApiError(422, 'invalid_option', 'quality: expected an integer from 1 to 100, got 150', 'quality');
    expect(errorText(e, tEn)).toEqual({ summary: en['error.invalid_option'], field: 'Field: Quality', detail: 'quality: expected an integer from 1 to 100, got 150' });
    expect(errorText(e, tKo)).toEqual({ summary: ko['error.invalid_option'], field: '항목: 품질', detail: e.message });
  });
  it('an upload refusal names its file (the server quotes it first) instead of the field', () => {
    const e = new ApiError(413, 'too_many_pixels', '"giant.jpg": the image is 20000x14000 (280 MP), over the limit of 100 MP', 'files');
    expect(errorText(e, tKo)).toEqual({ summary: `“giant.jpg”: ${ko['error.too_many_pixels']}`, field: null, detail: e.message });
    expect(fileNamed('"say "hi".png": larger than the limit')).toBe('say "hi".png');
    expect(fileNamed('files: expected at least one file')).toBeNull();
  });
  it('a field without a label is shown by its name', () => {
    expect(errorText(new ApiError(400, 'invalid_request', 'x', 'Idempotency-Key'), tKo).field).toBe('항목: Idempotency-Key');
  });
  it('login: a wrong password is said plainly', () => {
    expect(errorText(new ApiError(401, 'unauthorized', 'wrong email or password'), tEn, 'login')).toEqual({
      summary: en['error.login'],
      field: null,
      detail: null,
    });
  });
  it('network errors have no raw detail; unknown codes get the generic title', () => {
    expect(errorText(new ApiError(0, 'network', 'Failed to fetch'), tEn)).toEqual({ summary: en['error.network'], field: null, detail: null });
    expect(errorText(new ApiError(400, 'brand_new_code', 'something'), tEn)).toEqual({ summary: en['error.title'], field: null, detail: 'something' });
  });
});

describe('imageFailureText', () => {
  const tKo = (k: string, v?: Record<string, string | number>) => translate('ko', k, v);
  it('a failed image in Korean from its code, the decoder’s English kept as the detail', () => {
    const failure = { code: 'corrupt_image', message: 'the image is damaged or incomplete (VipsJpeg: premature end of JPEG image)' };
    expect(imageFailureText(failure, tKo)).toEqual({ summary: ko['imageError.corrupt_image'], detail: failure.message });
  });
  it('a code with no image wording falls back to the API sentence, then to the generic one', () => {
    expect(imageFailureText({ code: 'busy', message: '' }, tKo)).toEqual({ summary: ko['error.busy'], detail: null });
    expect(imageFailureText({ code: 'brand_new', message: 'brand_new' }, tKo)).toEqual({ summary: ko['error.title'], detail: null });
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
