/**
 * RFC 9457 problem documents: the only error shape the API sends.
 * Handlers throw `HttpProblem`; the error middleware renders it.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  428: "Precondition Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** An error that maps to a problem response. `code` becomes the type URI suffix. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = "HttpProblem";
  }

  toBody(): ProblemBody {
    return problemBody(this.status, this.code, this.detail, this.errors, this.extra);
  }
}

/** Builds a problem body; `type` is a stable URI naming the kind of error. */
export function problemBody(
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
): ProblemBody {
  const body: ProblemBody = {
    type: `https://errors.commerce.local/${code}`,
    title: titles[status] ?? "Error",
    status,
    detail,
  };
  if (errors?.length) body.errors = errors;
  if (extra) Object.assign(body, extra);
  return body;
}

export const badRequest = (detail: string, code = "bad-request") => new HttpProblem(400, code, detail);
export const unauthorized = (detail = "Authentication is required.") =>
  new HttpProblem(401, "unauthorized", detail, undefined, undefined, { "WWW-Authenticate": "Bearer" });
export const forbidden = (detail = "You are not allowed to do this.") =>
  new HttpProblem(403, "forbidden", detail);
export const notFound = (detail = "Not found.") => new HttpProblem(404, "not-found", detail);
export const conflict = (detail: string, code = "conflict", extra?: Record<string, unknown>) =>
  new HttpProblem(409, code, detail, undefined, extra);
export const unprocessable = (detail: string, errors?: FieldError[], code = "validation") =>
  new HttpProblem(422, code, detail, errors);
