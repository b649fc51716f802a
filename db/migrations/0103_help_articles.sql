-- Help articles (server/assistant): the shop's policies, edited by staff in the
-- console; the support assistant answers policy questions only from them.
create table help_articles (
  slug        text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
  title       text not null check (length(title) between 1 and 200),
  body        text not null check (length(body) between 1 and 20000),
  updated_by  bigint,
  updated_at  timestamptz not null default now()
);

-- Starting texts; staff change them at /admin/help.
insert into help_articles (slug, title, body) values
('shipping', 'Shipping and delivery',
 'Orders placed before 2 pm on a working day leave our warehouse the same day. Standard delivery takes 2 to 4 working days; express delivery takes 1 working day.

Shipping costs 5.00 per order. Orders above 50.00 ship free of charge.

We ship to addresses in the United States, Canada and the European Union. We do not ship to post office boxes.

When your parcel leaves the warehouse your order shows as shipped and you receive an email with the tracking number.'),
('returns', 'Returns and refunds',
 'You can return any item within 30 days of delivery for a full refund, as long as it is unused and in its original packaging.

To start a return, open the order under your account and choose return, or write to support. Return shipping is free for faulty items; otherwise a return label costs 4.00.

Refunds go back to the original payment method within 5 working days after the returned item reaches our warehouse.

You can cancel an order yourself while it is pending or paid, before it is packed; the payment is refunded in full.'),
('payment', 'Payment methods',
 'We accept Visa, Mastercard and American Express cards. Your card is charged when you place the order.

Prices include the price of the goods; tax is added at checkout and shown before you pay.

If a payment is declined nothing is charged and your cart stays as it was, so you can try another card.'),
('account', 'Your account',
 'You can change your name, email address and password under your account. Saved shipping addresses make checkout faster.

If you forgot your password, contact support; for your security we never ask for your password by email.');
