-- Wake the outbox relay as soon as an event commits (NOTIFY is delivered at commit).
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox', '');
  return null;
end $$;

create trigger outbox_notify after insert on outbox
  for each statement execute function outbox_notify();
