// Jest loads global setup outside its module transform; tsx imports the TypeScript suite setup.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { default: setup } = await tsImport('./helpers/suite-setup.ts', import.meta.url);
  await setup();
}
