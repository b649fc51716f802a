/**
 * Strict HTTP/1.1 message-head parsing (RFC 9112). The proxy forwards body bytes
 * untouched, so every framing ambiguity a backend might read differently
 * (request smuggling) is rejected here instead of being passed on.
 *
 * The parts live in `http1/`: `request.ts` (request head), `response.ts`
 * (response head and response framing), `chunked.ts` (chunked decoding),
 * `tables.ts` (byte classes and header-name tables) and `scan.ts` (the line
 * reader and range copying both parsers share). This file is their public face.
 */

export { ChunkedParser } from "./http1/chunked.ts";
export { parseRequestHead, RequestHead } from "./http1/request.ts";
export { parseResponseHead, ResponseHead, responseFraming } from "./http1/response.ts";
export {
  copyRanges,
  copyStartAndRanges,
  type Framing,
  HttpParseError,
  headEnd,
  NO_BODY,
  rangesLength,
} from "./http1/scan.ts";
export {
  F_FORWARDED_FOR,
  F_REQUEST_ID,
  F_TRACEPARENT,
  hopByHop,
  idempotentMethods,
  type RequestField,
} from "./http1/tables.ts";
