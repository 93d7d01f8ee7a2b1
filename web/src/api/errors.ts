// The API answers every error as {"error": {"code", "message", "field"}}. ApiError carries it;
// parseErrorBody turns any body (JSON or not, even empty) into one, so callers never guess.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, code: string, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Builds the error for a failed response from its status and body text. */
export function parseErrorBody(status: number, body: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'error' in parsed) {
      const e = (parsed as { error: unknown }).error;
      if (e && typeof e === 'object') {
        const { code, message, field } = e as Record<string, unknown>;
        return new ApiError(
          status,
          typeof code === 'string' ? code : codeForStatus(status),
          typeof message === 'string' ? message : '',
          typeof field === 'string' && field !== '' ? field : null,
        );
      }
    }
  } catch {
    // not JSON: a proxy page or an empty body
  }
  return new ApiError(status, codeForStatus(status), body.trim().slice(0, 200));
}

/** A code for a response that carried none (or a network failure, status 0). */
export function codeForStatus(status: number): string {
  if (status === 0) return 'network';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status === 415) return 'unsupported_format';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'internal' : 'invalid_request';
}

/** Any thrown value as an ApiError (a TypeError from fetch is a network failure). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) return new ApiError(0, 'network', error.message);
  return new ApiError(0, 'network', String(error));
}
