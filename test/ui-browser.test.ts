import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@temporalio/client';
import { type Browser, chromium, type Page } from 'playwright-core';
import { codecFromEnv } from '../src/temporal/codec.js';
import { serveCodec } from '../src/temporal/codec-server.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import type { CatalogSummary } from '../workflows/messages.js';
import { catalogOf, seedKoob } from './helpers/catalog.js';
import { type Bridge, sim, startBridge, testConfig } from './helpers/harness.js';

/** Debian's chromium (.ci/run installs it); the test fails rather than skips without it. */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = '.test-artifacts';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
});

/** Waits until `read` returns text that `ok` accepts; returns the last text read. */
async function textUntil(read: () => Promise<string>, ok: (t: string) => boolean, what: string, ms = 60_000): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await read().catch(() => '');
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not appear within ${ms / 1000} s; last text: ${last.slice(0, 500)}`);
}

/**
 * The operator's view: the Temporal UI (dev server UI 2.54) configured with our codec server,
 * driven in a real browser. A catalog sync is started from the UI's Start Workflow form, and its
 * result and the catalogSummary query answer must read as plain JSON on the page.
 */
describe('Temporal UI with the codec server', () => {
  let server: Awaited<ReturnType<typeof startDevServer>>;
  let codec: Awaited<ReturnType<typeof serveCodec>>;
  let bridge: Bridge;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (.ci/run does)`);
    for (const p of ['koob', 'xola'] as const) await sim(p, 'reset', {});
    await seedKoob(catalogOf(3));
    const [port, uiPort] = [await freePort(), await freePort()];
    codec = await serveCodec({ host: '127.0.0.1', port: 0, origins: [`http://127.0.0.1:${uiPort}`], codec: codecFromEnv() });
    dataDir = mkdtempSync(`${tmpdir()}/bridge-ui-`);
    server = await startDevServer({ dataDir, port, uiPort, uiCodecEndpoint: codec.url });
    const config = testConfig({ locales: ['en'] });
    config.temporal.address = server.address;
    bridge = await startBridge(config);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Only this machine: the UI's news feed and anything else outside stay unfetched.
    await page.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname), (route) => route.abort());
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    await server?.stop();
    await codec?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a catalog sync from the Start Workflow form and shows its result and catalogSummary decoded', async () => {
    const workflowId = `catalog-sync/${bridge.connectionName}/from-ui`;
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/start-workflow`);
    await page.getByRole('textbox', { name: 'Workflow ID' }).fill(workflowId);
    await page.getByRole('textbox', { name: 'Task Queue' }).fill(bridge.taskQueue);
    await page.getByRole('textbox', { name: 'Workflow Type' }).fill('catalogSyncWorkflow');
    await page.getByRole('textbox', { name: 'Data' }).fill(`{"connection":"${bridge.connectionName}"}`);
    // Leaving the editor reformats it and moves the button: leave it before clicking.
    await page.getByRole('heading', { name: 'Start Workflow' }).click();
    await page.getByText('Task Queue is Active').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Start Workflow' }).click();
    await page.getByRole('link', { name: 'Workflow started successfully' }).waitFor({ timeout: 30_000 });

    // The UI encoded its input through the codec server: the stored input is ciphertext.
    const raw = await Connection.connect({ address: server.address });
    try {
      const { history } = await raw.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
      const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? new Uint8Array()).toString()).toBe('binary/encrypted');
    } finally {
      await raw.close();
    }
    const summary = await bridge.client.workflow.getHandle(workflowId).result() as CatalogSummary;
    expect(summary.byTarget.xola?.created).toBe(3);

    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByText('Completed', { exact: true }).first().waitFor({ timeout: 30_000 });
    const result = await textUntil(() => page.getByRole('textbox', { name: 'Result' }).innerText(), (t) => t.includes('"created": 3'), 'the decoded result');
    expect(result).toContain(`"connection": "${bridge.connectionName}"`);
    expect(result).toContain('"xola"');
    expect(result).toContain(`"products": ${summary.products}`);
    expect(await page.getByRole('textbox', { name: 'Input' }).innerText()).toContain(`"connection": "${bridge.connectionName}"`);
    const body = await page.locator('main').innerText();
    expect(body).not.toContain('binary/encrypted');
    expect(body).not.toContain('YmluYXJ5L2VuY3J5cHRlZA');
    await page.screenshot({ path: `${ARTIFACTS}/ui-result.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Queries' }).click();
    const queryType = page.getByRole('textbox', { name: 'Query Type' });
    await textUntil(() => queryType.inputValue(), (v) => v !== '', 'the query types');
    if (await queryType.inputValue() !== 'catalogSummary') {
      await page.getByRole('button', { name: await queryType.inputValue() }).click();
      await page.getByRole('option', { name: 'catalogSummary' }).click();
    }
    await page.getByRole('button', { name: 'Run Query' }).click();
    const answer = await textUntil(() => page.getByRole('textbox', { name: 'Query Result' }).innerText(), (t) => t.includes('"byTarget"'), 'the catalogSummary answer');
    expect(answer).toContain(`"reported": ${summary.reported}`);
    expect(answer).toContain('"created": 3');
    expect(answer).toContain(`"requestId": "${summary.requestId}"`);
    expect(answer).not.toContain('binary/encrypted');
    await page.screenshot({ path: `${ARTIFACTS}/ui-query.png`, fullPage: true });
  });
});
