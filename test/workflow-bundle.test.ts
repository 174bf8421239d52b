import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

/** The suite's workflow bundle is built by global setup from workflows/index.ts, exactly as workers do. */
describe('workflow bundle', () => {
  const code = readFileSync(process.env.TEST_WORKFLOW_BUNDLE!, 'utf8');
  const modules = [...code.matchAll(/!\*\*\*\s+(\.\/[^\s*]+)\s+\*\*\*!/g)].map((m) => m[1]!);

  it('lists its modules (so the checks below look at something)', () => {
    expect(modules.some((m) => m.startsWith('./workflows/'))).toBe(true);
  });

  it('contains no connector, activity, HTTP, logging or Node-only code', () => {
    const forbidden = modules.filter((m) => /src\/connectors\/|\/activities\/|node_modules\/(got|pino|fastify|p-queue|zod)\/|src\/(http|logger|config|webhooks|stack)/.test(m));
    expect(forbidden).toEqual([]);
    expect(code).not.toMatch(/require\(["']node:/);
  });
});
