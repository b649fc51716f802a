import { HttpProblem, problemBody } from "../../platform/problem.ts";
import type { CartSettings } from "../cart/settings.ts";
import { stockChanged } from "../catalog/invalidate.ts";
import type { AppDeps } from "../core/deps.ts";
import type { AuthUser } from "../core/roles.ts";
import { assessCheckout, type RiskVerdict } from "../fraud/assess.ts";
import type { FraudSettings } from "../fraud/settings.ts";
import type { ShippingAddress } from "../orders/store.ts";
import { chargeWithTimeout } from "../payments/provider.ts";
import type { ProviderRegistry } from "../payments/providers.ts";
import { recordCapture } from "../payments/records.ts";
import { sendRefunds } from "../payments/refunds.ts";
import { claimKey, completeKey, releaseKey, requestHash, type StoredResponse } from "./idempotency.ts";
import { OutOfStockError, type Placed, placeOrder } from "./place.ts";
import type { CheckoutFaults, CheckoutSettings } from "./settings.ts";
import { abandonCheckout, type Confirmation, confirmPayment } from "./settle.ts";

/** A validated checkout request. */
export interface CheckoutRequest {
  user: AuthUser;
  idempotencyKey: string;
  cartToken: string | undefined;
  /** The client's address as the proxy saw it ("unknown" when there is none). */
  clientIp: string;
  body: { shipping_address: ShippingAddress; payment: { method: string; token: string } };
}

/** What to answer: status, JSON body, extra headers. */
export interface CheckoutResponse extends StoredResponse {
  headers?: Record<string, string>;
}

/** Everything checkout is configured with. */
export interface CheckoutEnv {
  /** Pricing rules and the cart-token key (checkout prices the cart again). */
  cart: CartSettings;
  settings: CheckoutSettings;
  providers: ProviderRegistry;
  /** Fraud scoring; off (or absent) means no order is scored. */
  fraud?: FraudSettings;
  /** Test-only fault injection; never set in production. */
  faults?: CheckoutFaults;
}

/**
 * Runs one checkout: claim the idempotency key, reserve in one transaction,
 * charge with no locks held, then confirm or compensate in one short
 * transaction, storing the final answer on the key.
 */
export async function runCheckout(
  deps: AppDeps,
  env: CheckoutEnv,
  req: CheckoutRequest,
): Promise<CheckoutResponse> {
  const { user, idempotencyKey: key } = req;
  const claim = await claimKey(deps.db.primary, user.id, key, requestHash(req.body, req.cartToken));
  if (claim.kind === "replay") {
    // The order was created by the first request; this one merely reads it back.
    const status = claim.response.status === 201 ? 200 : claim.response.status;
    return { status, body: claim.response.body };
  }
  if (claim.kind === "mismatch") {
    throw new HttpProblem(
      422,
      "idempotency-key-reused",
      "This Idempotency-Key was already used with a different request body.",
    );
  }
  if (claim.kind === "in_progress") {
    throw new HttpProblem(
      409,
      "checkout-in-progress",
      "A checkout with this Idempotency-Key is still running; retry shortly to get its result.",
    );
  }

  const placed = await reserve(deps, env, req);
  if ("status" in placed) return placed;
  // Cache invalidation runs alongside the charge; both finish before the answer.
  const invalidated = stockChanged(
    deps,
    placed.lines.map((l) => l.sku),
  );
  env.faults?.afterReserve?.(placed.order.id);
  try {
    return await pay(deps, env, req, placed);
  } finally {
    await invalidated;
  }
}

/** The reservation transaction; a stock shortage becomes the stored 409 answer. */
async function reserve(
  deps: AppDeps,
  env: CheckoutEnv,
  req: CheckoutRequest,
): Promise<Placed | CheckoutResponse> {
  const { settings, cart } = env;
  try {
    return await deps.db.tx((tx) =>
      placeOrder(tx, {
        userId: req.user.id,
        idempotencyKey: req.idempotencyKey,
        cart: { token: req.cartToken, userId: req.user.id },
        cartTokenSecret: cart.cartTokenSecret,
        shippingAddress: req.body.shipping_address,
        provider: req.body.payment.method,
        rules: cart,
        reservationSeconds: settings.reservationTimeoutS,
      }),
    );
  } catch (err) {
    if (err instanceof OutOfStockError) {
      const response = {
        status: 409,
        body: problemBody(
          409,
          "insufficient-stock",
          `Not enough stock for ${err.shortages.map((s) => s.sku).join(", ")}.`,
          undefined,
          { skus: err.shortages.map((s) => s.sku), shortages: err.shortages },
        ),
      };
      await completeKey(deps.db.primary, req.user.id, req.idempotencyKey, response, null);
      return response;
    }
    // Nothing was created: the client may fix the cart and retry with the same key.
    await releaseKey(deps.db.primary, req.user.id, req.idempotencyKey, null).catch(() => {});
    throw err;
  }
}

/** Charges outside any transaction, then confirms or compensates. */
async function pay(
  deps: AppDeps,
  env: CheckoutEnv,
  req: CheckoutRequest,
  placed: Placed,
): Promise<CheckoutResponse> {
  const { user, idempotencyKey: key } = req;
  const provider = env.providers.get(placed.payment.provider)!;
  // Scored while the charge runs, so scoring adds no latency unless it is the slower of the two.
  const scoring = scoreCheckout(deps, env, req, placed);
  const result = await chargeWithTimeout(
    provider,
    {
      paymentId: placed.payment.id,
      orderId: placed.order.id,
      amount: placed.order.total,
      currency: placed.order.currency,
      token: req.body.payment.token,
      idempotencyKey: `${user.id}:${key}`,
    },
    env.settings.paymentTimeoutMs,
  );
  const risk = await scoring;

  if (result.outcome === "captured") {
    const ids = {
      order_id: placed.order.id,
      payment_id: placed.payment.id,
      provider_ref: result.providerRef,
    };
    try {
      await recordCapture(deps.db.primary, placed.payment.id, result.providerRef);
    } catch (err) {
      // Without the database the order cannot be confirmed either: give the money back now.
      deps.logger.error("capture could not be recorded; refunding it", { ...ids, err });
      await sendRefunds(deps, env.providers, [{ ...placed.payment, provider_ref: result.providerRef }]);
      throw unconfirmed(placed, "refunded");
    }
    // Set once the confirmation's statements are done: a failure after it hit the commit itself.
    let committing = false;
    let outcome: { confirmation: Confirmation; response: CheckoutResponse };
    try {
      outcome = await deps.db.tx(async (tx) => {
        committing = false;
        env.faults?.beforeConfirm?.();
        const confirmation = await confirmPayment(
          tx,
          placed.order.id,
          placed.payment.id,
          result.providerRef,
          risk,
        );
        const response: CheckoutResponse =
          confirmation.kind === "paid"
            ? { status: 201, body: { ...confirmation.view } }
            : {
                status: 409,
                body: problemBody(
                  409,
                  "checkout-expired",
                  "The order was cancelled before the payment completed; the charge is being refunded.",
                  undefined,
                  { order_id: placed.order.id },
                ),
              };
        await completeKey(tx, user.id, key, response, placed.order.id);
        committing = true;
        return { confirmation, response };
      });
    } catch (err) {
      if (committing) {
        // The commit may have gone through. The reservation sweeper settles it: if the order is
        // still pending when its hold expires, the recorded capture is refunded.
        deps.logger.error("order confirmation outcome unknown after a capture", { ...ids, err });
        throw unconfirmed(placed, "unknown");
      }
      deps.logger.error("order confirmation failed after a capture; refunding it", { ...ids, err });
      await compensateCapture(deps, env, req, placed, result.providerRef);
      throw unconfirmed(placed, "refunded");
    }
    if (outcome.confirmation.kind === "gone" && outcome.confirmation.refund)
      await sendRefunds(deps, env.providers, [outcome.confirmation.refund]);
    return outcome.response;
  }

  const declined = result.outcome === "declined";
  const response: CheckoutResponse = declined
    ? {
        status: 402,
        body: problemBody(
          402,
          "payment-declined",
          `The payment was declined (${result.reason}). Nothing was charged; the cart is unchanged.`,
          undefined,
          { order_id: placed.order.id, reason: result.reason },
        ),
      }
    : {
        status: 503,
        body: problemBody(
          503,
          "payment-unavailable",
          "The payment could not be processed right now. Nothing was charged; retry with the same Idempotency-Key.",
          undefined,
          { reason: result.reason },
        ),
        headers: { "Retry-After": "1" },
      };
  const effects = await deps.db.tx(async (tx) => {
    const effects = await abandonCheckout(
      tx,
      placed.order.id,
      { status: declined ? "declined" : "failed", reason: result.reason },
      risk,
    );
    // A decline is final for this request; a processor failure is worth retrying with the same key.
    if (declined) await completeKey(tx, user.id, key, response, placed.order.id);
    else await releaseKey(tx, user.id, key, placed.order.id);
    return effects;
  });
  if (effects) await stockChanged(deps, effects.restockedSkus);
  return response;
}

/** Starts the fraud scoring of a placed order (null when scoring is off); never rejects. */
function scoreCheckout(
  deps: AppDeps,
  env: CheckoutEnv,
  req: CheckoutRequest,
  placed: Placed,
): Promise<RiskVerdict | null> {
  if (!env.fraud?.enabled) return Promise.resolve(null);
  return assessCheckout(
    deps,
    env.fraud,
    {
      orderId: placed.order.id,
      userId: req.user.id,
      clientIp: req.clientIp === "unknown" ? null : req.clientIp,
      cardToken: req.body.payment.token,
      shippingAddress: req.body.shipping_address,
      amount: placed.order.total,
      currency: placed.order.currency,
    },
    env.faults?.scorer,
  );
}

/**
 * The answer when money was taken but the order could not be recorded as paid:
 * `refunded` when the charge was given back, `unknown` when the commit itself
 * failed and the reservation sweeper settles it (refund unless the order turns
 * out to be paid).
 */
function unconfirmed(placed: Placed, state: "refunded" | "unknown"): HttpProblem {
  return new HttpProblem(
    503,
    "payment-unconfirmed",
    state === "refunded"
      ? "The payment went through but the order could not be recorded; the charge has been refunded. Retry shortly."
      : "The payment went through but recording the order failed midway. If the order does not appear under your orders, the charge is refunded automatically when its stock hold expires.",
    undefined,
    { order_id: placed.order.id, charge: state },
    { "Retry-After": "5" },
  );
}

/**
 * Undoes a checkout whose charge went through but whose confirmation rolled
 * back: the order is abandoned (cart and stock back, payment marked refunded,
 * key released) and the refund sent. If the database refuses that too, the
 * refund goes out directly and the sweeper cancels the order when its hold
 * expires (it will ask for the refund again, which a processor declines for a
 * charge already refunded).
 */
async function compensateCapture(
  deps: AppDeps,
  env: CheckoutEnv,
  req: CheckoutRequest,
  placed: Placed,
  providerRef: string,
): Promise<void> {
  try {
    const effects = await deps.db.tx(async (tx) => {
      const effects = await abandonCheckout(tx, placed.order.id, {
        status: "failed",
        reason: "the order could not be confirmed after the charge",
      });
      await releaseKey(tx, req.user.id, req.idempotencyKey, placed.order.id);
      return effects;
    });
    // Null: someone else (the sweeper) already abandoned it, refund included.
    if (!effects) return;
    await sendRefunds(deps, env.providers, effects.refunds);
    await stockChanged(deps, effects.restockedSkus);
  } catch (err) {
    deps.logger.error("could not abandon the unconfirmed order; refunding directly", {
      order_id: placed.order.id,
      err,
    });
    await sendRefunds(deps, env.providers, [{ ...placed.payment, provider_ref: providerRef }]);
  }
}
