-- Checkout: the sweeper releases the idempotency claim of the order it cancels.
create index if not exists idempotency_keys_order_idx on idempotency_keys(order_id) where order_id is not null;
-- Restoring a cart after a failed payment finds it from the order.
create index if not exists orders_cart_idx on orders(cart_id) where cart_id is not null;
