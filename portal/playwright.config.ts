import { existsSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

// End-to-end: a real `thaksa serve` (embedded PostgreSQL, seed data, a small demo organisation,
// the development sign-in) and the distribution's Chromium (no browser download).
const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.THAKSA_E2E_PORT ?? 8791);
const repo = resolve(here, "..");
const dataDir = resolve(here, "test-results", "e2e-data");
const python = process.env.THAKSA_PYTHON ?? resolve(repo, ".venv", "bin", "python");
export const chromium =
  process.env.CHROMIUM_PATH ??
  ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));

// A fresh database each run. The config is read again by each worker (which inherit this
// process's environment): only the first reading clears it.
if (!process.env.THAKSA_E2E_STARTED) {
  process.env.THAKSA_E2E_STARTED = "1";
  rmSync(dataDir, { recursive: true, force: true });
}

export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results/artifacts",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "th-TH",
    timezoneId: "Asia/Bangkok",
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromium, args: ["--no-sandbox"] },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `"${python}" -m app.cli serve --port ${port}`,
    cwd: repo,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      THAKSA_DATA_DIR: dataDir,
      THAKSA_DATABASE_URL: "",
      THAKSA_DEMO_PEOPLE: "60",
      THAKSA_DEV_SIGNIN: "true",
      THAKSA_HOST: "127.0.0.1",
      THAKSA_LOG_LEVEL: "warning",
      THAKSA_RATE_LIMIT_PER_MINUTE: "0",
    },
  },
});
