import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { signAccessToken, verifyAccessToken } from "./tokens.ts";

const secret = "s".repeat(40);
const user = { id: 42, email: "a@example.com", role: "staff" as const };
const now = 1_800_000_000;

function forge(header: object, payload: object, key = secret): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const body = `${enc(header)}.${enc(payload)}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

describe("access tokens", () => {
  test("round trip carries sub, email, role, iat, exp, jti", () => {
    const claims = verifyAccessToken(
      signAccessToken(user, { secret, ttlSeconds: 900, now }),
      secret,
      now + 1,
    );
    expect(claims).toMatchObject({ sub: "42", email: user.email, role: "staff", iat: now, exp: now + 900 });
    expect(claims?.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("every token has its own jti", () => {
    const a = verifyAccessToken(signAccessToken(user, { secret, ttlSeconds: 900, now }), secret, now);
    const b = verifyAccessToken(signAccessToken(user, { secret, ttlSeconds: 900, now }), secret, now);
    expect(a?.jti).not.toBe(b?.jti);
  });

  test("expired at exp", () => {
    const tok = signAccessToken(user, { secret, ttlSeconds: 900, now });
    expect(verifyAccessToken(tok, secret, now + 899)).not.toBeNull();
    expect(verifyAccessToken(tok, secret, now + 900)).toBeNull();
  });

  test("issued in the future is refused", () => {
    const tok = signAccessToken(user, { secret, ttlSeconds: 900, now: now + 3600 });
    expect(verifyAccessToken(tok, secret, now)).toBeNull();
  });

  test("other alg, alg none, bad signature, bad claims are refused", () => {
    const claims = { sub: "42", email: user.email, role: "staff", iat: now, exp: now + 900, jti: "x" };
    expect(verifyAccessToken(forge({ alg: "HS256", typ: "JWT" }, claims), secret, now)).not.toBeNull();
    expect(verifyAccessToken(forge({ alg: "HS512" }, claims), secret, now)).toBeNull();
    const none = forge({ alg: "none" }, claims).split(".");
    expect(verifyAccessToken(`${none[0]}.${none[1]}.`, secret, now)).toBeNull();
    expect(verifyAccessToken(forge({ alg: "HS256" }, claims, "k".repeat(40)), secret, now)).toBeNull();
    expect(verifyAccessToken(forge({ alg: "HS256" }, { ...claims, role: "root" }), secret, now)).toBeNull();
    expect(verifyAccessToken(forge({ alg: "HS256" }, { ...claims, sub: 42 }), secret, now)).toBeNull();
    expect(verifyAccessToken(forge({ alg: "HS256" }, { ...claims, exp: "soon" }), secret, now)).toBeNull();
  });

  test("garbage is refused", () => {
    for (const s of ["", "a", "a.b", "a.b.c", "a.b.c.d", "!!.??.##"])
      expect(verifyAccessToken(s, secret, now)).toBeNull();
  });

  test("flipping one signature character is refused", () => {
    const tok = signAccessToken(user, { secret, ttlSeconds: 900, now });
    const last = tok.at(-1) === "A" ? "B" : "A";
    expect(verifyAccessToken(tok.slice(0, -1) + last, secret, now)).toBeNull();
  });
});
