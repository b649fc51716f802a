import { setDefaultTimeout } from "bun:test";

// Integration tests start real processes and databases on a shared 2-core
// machine; bun's 5 s default is too tight for them (bunfig has no timeout key).
setDefaultTimeout(60_000);
