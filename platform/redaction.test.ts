import { expect, test } from "bun:test";
import { z } from "zod";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger, redactText } from "./logger.ts";
import { defineSettings, knob, url } from "./settings.ts";

function configMessage(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

test("configuration errors never show secret values", () => {
  const msg = configMessage(() =>
    loadConfig({
      DATABASE_URL: "mysql://app:hunter2@db/x",
      REDIS_URL: "http://:redis-pw-9@cache:6379",
      AMQP_URL: "nope://guest:amqp-pw-7@mq",
      JWT_SECRET: "short-jwt-secret",
      SMTP_URL: "http://u:smtp-pw-5@mail",
    }),
  );
  for (const variable of ["DATABASE_URL", "REDIS_URL", "AMQP_URL", "JWT_SECRET", "SMTP_URL"])
    expect(msg).toContain(variable);
  for (const secret of ["hunter2", "redis-pw-9", "amqp-pw-7", "short-jwt-secret", "smtp-pw-5"])
    expect(msg).not.toContain(secret);
});

test("a value echoed for a non-secret knob loses any URL password", () => {
  const group = defineSettings("t", {
    UPSTREAM_URL: knob(url(["http"]), undefined, "an upstream"),
    COUNT: knob(z.enum(["a", "b"]), "a", "a choice"),
  });
  const msg = configMessage(() => group.load({ UPSTREAM_URL: "ftp://svc:hunter2@files/x", COUNT: "c" }));
  expect(msg).toContain("ftp://svc:***@files/x");
  expect(msg).not.toContain("hunter2");
  expect(msg).toContain('(got "c")'); // ordinary values are still shown
});

test("log lines carry no URL passwords, secret parameters or secret fields", () => {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    createLogger("info", { service: "t" }).error("cannot reach postgres://app:hunter2@db:5432/shop", {
      err: new Error("connect to amqp://guest:amqp-pw-7@mq:5672 failed"),
      target: "https://hooks.example.test/cb?token=tok-abc-123&x=1",
      password: "plain-pw-1",
      headers: { authorization: "Bearer eyJ-secret-token" },
      smtp_password: "smtp-pw-5",
    });
  } finally {
    process.stderr.write = original;
  }
  const text = lines.join("");
  expect(text).toContain("postgres://app:***@db:5432/shop");
  expect(text).toContain("x=1");
  for (const secret of ["hunter2", "amqp-pw-7", "tok-abc-123", "plain-pw-1", "eyJ-secret-token", "smtp-pw-5"])
    expect(text).not.toContain(secret);
});

test("redactText keeps URLs without credentials as they are", () => {
  expect(redactText("GET https://shop.example/a?page=2")).toBe("GET https://shop.example/a?page=2");
  expect(redactText("redis://:pw@cache:6379/0")).toBe("redis://:***@cache:6379/0");
});
