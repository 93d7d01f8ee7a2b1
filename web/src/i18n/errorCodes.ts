// Every error code the app can be shown, and where each comes from. The server's OpenAPI document
// lists them as the enum of `Error.code`; errorCodes.test.ts checks that this list and that enum
// are the same, and reads the server's sources to fail when the server gains a code this list
// (and so the dictionaries) lacks. Each code has a sentence `error.<code>` in en.ts and ko.ts; the codes an
// image can fail with also have `imageError.<code>` (worded for the job page).

/** src/domain/error.hpp `ErrorCode`: the engine's and the use cases' errors. A failed image
 * carries one of these (the worker stores `to_string(code)`). */
export const IMAGE_ERROR_CODES = [
  'invalid_option',
  'unsupported_format',
  'too_many_pixels',
  'too_large',
  'corrupt_image',
  'timeout',
  'invalid_request',
  'unauthorized',
  'not_found',
  'conflict',
  'idempotency_key_reused',
  'rate_limited',
  'quota_exceeded',
  'unavailable',
  'internal',
] as const;

/** src/adapters/http/http_error.cpp `default_error_code`: a status without a code of its own
 * (the transport's refusals: bad framing, a body too large, a timeout while reading ...). */
export const TRANSPORT_ERROR_CODES = [
  'bad_request',
  'forbidden',
  'method_not_allowed',
  'request_timeout',
  'length_required',
  'payload_too_large',
  'unsupported_media_type',
  'precondition_failed',
  'range_not_satisfiable',
  'expectation_failed',
  'unprocessable_entity',
  'too_many_requests',
  'header_too_large',
  'not_implemented',
] as const;

/** Codes single routes throw (src/adapters/http/**): the results gone (410), a JSON body that
 * does not parse, a full queue of password hashes or previews, a cross-site form post, a query
 * string that does not parse, a signed link expired or forged, a job's uploads no longer kept
 * (convert again, 410). */
export const ROUTE_ERROR_CODES = ['expired', 'invalid_json', 'busy', 'cross_origin', 'invalid_query', 'link_expired', 'sources_gone', 'unsupported_version'] as const;

/** The app's own: no answer at all (fetch failed), and an upload the person canceled. */
export const CLIENT_ERROR_CODES = ['network', 'aborted'] as const;

export type ImageErrorCode = (typeof IMAGE_ERROR_CODES)[number];
export type ErrorCode =
  | ImageErrorCode
  | (typeof TRANSPORT_ERROR_CODES)[number]
  | (typeof ROUTE_ERROR_CODES)[number]
  | (typeof CLIENT_ERROR_CODES)[number];

/** Every code an answer of the server can carry. */
export const SERVER_ERROR_CODES: readonly string[] = [...IMAGE_ERROR_CODES, ...TRANSPORT_ERROR_CODES, ...ROUTE_ERROR_CODES];
export const ERROR_CODES: readonly ErrorCode[] = [...IMAGE_ERROR_CODES, ...TRANSPORT_ERROR_CODES, ...ROUTE_ERROR_CODES, ...CLIENT_ERROR_CODES];

/**
 * The request fields an error can name (`Error.field`), with a label in en.ts/ko.ts as
 * `field.<name>`: the options (src/domain/options_json.cpp), the upload's parts, the accounts',
 * webhooks' and presets' fields. A field without a label is shown by its own name.
 */
export const LABELLED_FIELDS = [
  'files',
  'watermark_image',
  'options',
  'preset',
  'name',
  'email',
  'password',
  'url',
  'events',
  'width',
  'height',
  'fit',
  'gravity',
  'format',
  'quality',
  'lossless',
  'max_bytes',
  'page',
  'watermark',
  'watermark.text',
  'watermark.position',
  'watermark.opacity',
  'watermark.size',
  'watermark.color',
] as const;
