/**
 * The `migrate` role of the image: runs `db/migrate-cli.ts` until it succeeds,
 * up to MIGRATE_ATTEMPTS times (default 30) with a growing pause (1 s, 2 s, …
 * capped at 5 s), so a primary that is still starting, restarting or failing
 * over does not leave the apps waiting for a migration that never ran.
 * Migrations are applied under an advisory lock, so a retry is always safe.
 */
const attempts = Number(process.env.MIGRATE_ATTEMPTS ?? "30");
for (let attempt = 1; attempt <= attempts; attempt++) {
  // env passed explicitly: Bun.spawn would otherwise miss what the secrets preload set.
  const child = Bun.spawn(["bun", "/srv/db/migrate-cli.ts"], {
    env: { ...process.env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const code = await child.exited;
  if (code === 0) process.exit(0);
  if (code === 78) process.exit(78); // configuration error: retrying cannot help
  console.error(`migrate: attempt ${attempt}/${attempts} failed (exit ${code})`);
  await Bun.sleep(Math.min(5000, 1000 * attempt));
}
process.exit(1);

export {};
