-- The W3C trace context of the request that wrote an event (server/core/outbox.ts), so that the
-- relay and the consumers continue the same trace (workers/relay.ts). Null when tracing is off.
alter table outbox add column traceparent text, add column tracestate text;
