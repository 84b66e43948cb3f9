// End-to-end tests drive the built app in Debian's Chromium (never a downloaded browser),
// against the whole system started exactly as `npm start` does, on a fresh data directory.
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.E2E_PORT ?? 3100)
// Set once in the runner's environment, so the test workers (other processes) find the same
// directory (the phone journey reads the emails the worker wrote there).
process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `ft-e2e-${process.pid}`)
const dataDir = process.env.E2E_DATA_DIR

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `rm -rf "${dataDir}" && node --import tsx app/cli/start.ts`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      DATA_DIR: dataDir,
      QUEUE_PREFIX: `fte2e-${process.pid}`,
      DEMO_PASSWORD: 'demo',
      NODE_ENV: 'production',
      // the responsive walk checks every export link of every page as one user, well over the
      // 10 a minute a person gets; the limits themselves are tested in tests/hardening
      RATE_LIMITS: 'export=500/60',
    },
  },
})
