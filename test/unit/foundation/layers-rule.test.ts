import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { repoRoot } from '../../support/paths.ts';

// The project's own ESLint config, run over small fixture sources placed (virtually) in each layer.
const eslint = new ESLint({ cwd: repoRoot });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'layers/direction' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('ESLint layering rule', () => {
  it('rejects a domain importing upward, and says where the code belongs', async () => {
    const [msg, ...rest] = await problems('electron/pst/fixture.ts', "import { dispatch } from '../engine/dispatch.ts';\nexport const d = dispatch;\n");
    expect(rest).toEqual([]);
    expect(msg).toContain('electron/pst/ may not import electron/engine/');
    expect(msg).toContain('electron/core/');
  });

  it('rejects one domain importing another, even for types', async () => {
    const [msg] = await problems('electron/network/fixture.ts', "import type { SmtpSection } from '../smtp/schema.ts';\nexport type S = SmtpSection;\n");
    expect(msg).toContain('Domains do not import each other');
  });

  it('rejects the contract importing the engine, and the engine importing a face', async () => {
    expect(await problems('electron/contract/fixture.ts', "export { handlers } from '../engine/handlers.ts';\n")).toHaveLength(1);
    expect(await problems('electron/engine/fixture.ts', "export const load = () => import('../cli/main.ts');\n")).toHaveLength(1);
  });

  it('accepts downward imports and imports within a layer', async () => {
    expect(await problems('electron/pst/fixture.ts', "import type { Progress } from '../core/progress.ts';\nimport { pstCrc } from './crc.ts';\nexport type P = Progress;\nexport const c = pstCrc;\n")).toEqual([]);
    expect(await problems('electron/engine/fixture.ts', "import { api } from '../contract/api.ts';\nimport { scanPstPaths } from '../pst/service.ts';\nexport const x = [api, scanPstPaths];\n")).toEqual([]);
    expect(await problems('electron/cli/fixture.ts', "import { startServer } from '../server/http.ts';\nexport const s = startServer;\n")).toEqual([]);
  });

  it('rejects a folder that is no layer', async () => {
    const [msg] = await problems('electron/misc/fixture.ts', 'export const x = 1;\n');
    expect(msg).toContain('not a known layer');
  });

  it('keeps the renderer to contract types and the method list', async () => {
    expect(await problems('renderer/src/fixture.ts', "import type { Report } from '../../electron/contract/report.ts';\nimport { METHOD_NAMES } from '../../electron/contract/methods.ts';\nexport const m: Report | typeof METHOD_NAMES = METHOD_NAMES;\n")).toEqual([]);
    const [msg] = await problems('renderer/src/fixture.ts', "import { dispatch } from '../../electron/engine/dispatch.ts';\nexport const d = dispatch;\n");
    expect(msg).toContain('bridge.ts');
  });

  it('lets only electron/app/ import the electron package', async () => {
    expect(await problems('electron/smtp/fixture.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([expect.stringContaining('Only electron/app/ may import electron.')]);
    expect(await problems('electron/app/fixture.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });
});
