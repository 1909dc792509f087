#!/usr/bin/env node
// Health probe for Docker's HEALTHCHECK and monitoring: GET a URL, exit 0 on a 2xx answer, else 1.
// Usage: node scripts/healthcheck.mjs [URL]  (default $HEALTHCHECK_URL; timeout $HEALTHCHECK_TIMEOUT_MS, 3000 ms)
// Plain JavaScript so that a probe every few seconds does not pay for the TypeScript loader.
const url = process.argv[2] ?? process.env.HEALTHCHECK_URL;
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 3000);

if (!url) {
  console.error('healthcheck: no URL (argument or HEALTHCHECK_URL)');
  process.exit(1);
}

try {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  await res.body?.cancel();
  if (!res.ok) {
    console.error(`healthcheck: ${url} answered ${res.status}`);
    process.exit(1);
  }
  process.exit(0);
} catch (err) {
  const reason = err?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err?.cause?.code ?? err?.message ?? String(err));
  console.error(`healthcheck: ${url}: ${reason}`);
  process.exit(1);
}
