-- Login throttling per account AND client address: six wrong passwords from one
-- address lock that address out of the account, not the account's owner, who
-- still signs in from their own address. '' is the key of checks that have no
-- client address of their own (the current-password check of a signed-in user).
alter table login_throttle add column client_ip text not null default ''
  check (length(client_ip) <= 64);
alter table login_throttle drop constraint login_throttle_pkey;
alter table login_throttle add primary key (email, client_ip);
