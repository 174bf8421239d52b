import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { countsInWords, summaryBlock, summaryLine } from '../../src/cli/progress.js';
import { stripAnsi } from '../../src/logger.js';
import type { CatalogSummary } from '../../workflows/messages.js';

/** Logs one SDK-like activity warning (task token, colour codes) through the real logger module in a fresh process. */
const logOnce = (format: 'json' | 'pretty') => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
  const { logger } = await import('./src/logger.ts');
  logger.warn({ taskToken: 'CiQ0secret-task-token', attempt: 2, error: Object.assign(new Error('xola POST /api/experiences → 503'), { nonRetryable: false }) }, '\\u001b[33mActivity failed\\u001b[0m');
`], { encoding: 'utf8', env: { ...process.env, LOG_FORMAT: format, LOG_LEVEL: 'info' } });

const t = (created: number, unchanged: number, unpublished = 0) => ({ created, updated: 0, unchanged, unpublished, failed: 0, writes: created * 3 });

describe('console (logger and run summaries)', () => {
  it('logs JSON lines off a terminal: task token redacted, colour codes stripped, the error message kept', () => {
    const r = logOnce('json');
    expect(r.status).toBe(0);
    const line = JSON.parse(r.stderr.trim()) as Record<string, unknown> & { error: { message: string } };
    expect(line.msg).toBe('Activity failed');
    expect(line.taskToken).toBe('[redacted]');
    expect(line.error.message).toBe('xola POST /api/experiences → 503');
    expect(r.stderr).not.toContain('secret-task-token');
  });

  it('logs one readable line on a terminal, without the task token', () => {
    const r = logOnce('pretty');
    expect(r.status).toBe(0);
    const plain = stripAnsi(r.stderr);
    expect(plain.trim().split('\n')).toHaveLength(1);
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: Activity failed .*"message":"xola POST \/api\/experiences → 503"/);
    expect(plain).not.toMatch(/taskToken|secret-task-token/);
  });

  it('names every number of a run summary', () => {
    const s: CatalogSummary = { connection: 'demo', requestId: 'r', products: 24, reported: 24, byTarget: { xola: t(0, 24), whop: t(2, 20, 2) }, failures: [{ sourceProductId: '4104', platform: 'whop', error: 'whop POST /plans → 422' }], done: true };
    expect(countsInWords(s.byTarget.xola!)).toBe('0 created, 0 updated, 24 unchanged, 0 failed, 0 writes');
    expect(summaryLine('catalog-sync/demo', s)).toBe('[catalog-sync/demo] 24/24 products reported — xola: 0 created, 0 updated, 24 unchanged, 0 failed, 0 writes | whop: 2 created, 0 updated, 20 unchanged, 2 unpublished, 0 failed, 6 writes — done');
    expect(summaryBlock('catalog-sync/demo', s).split('\n')).toEqual([
      '[catalog-sync/demo] 24/24 products reported — done',
      '  xola: 0 created, 0 updated, 24 unchanged, 0 failed, 0 writes',
      '  whop: 2 created, 0 updated, 20 unchanged, 2 unpublished, 0 failed, 6 writes',
      '  failures:',
      '    4104 → whop: whop POST /plans → 422',
    ]);
  });
});
