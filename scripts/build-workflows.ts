// `npm run build:workflows [-- <dir>]`: bundles workflows/ once, writes <dir>/bundle.js and
// <dir>/build-id (default dist/workflows). Workers started with BRIDGE_WORKFLOW_BUNDLE=<dir>/bundle.js
// run exactly that code and declare that build id as their deployment version (README runbook).
import { buildWorkflowBundle, DEFAULT_BUNDLE_DIR, writeWorkflowBundle } from '../src/temporal/bundle.js';

const dir = process.argv[2] ?? DEFAULT_BUNDLE_DIR;
const bundle = await buildWorkflowBundle();
const path = writeWorkflowBundle(bundle, dir);
process.stdout.write(`${path}\nbuild id ${bundle.buildId}\n`);
