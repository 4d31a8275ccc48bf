// ESLint rule `layers/direction`: imports run downward only, the way VS Code's layering rule keeps its tree.
//
//   electron/core/                                   progress, errors, context, finding, fix types
//   electron/{smtp,clients,network,pst,fixes,report}/ the domains: each imports only core and itself
//   electron/contract/                               the typed API and the report that gathers every domain
//   electron/engine/                                 dispatch, handlers, the scan, the fix catalog, correlations
//   electron/server/ then electron/{app,cli}/        the faces (the CLI starts the server; the app serves its static files)
//   renderer/                                        types from core/contract/domain schemas; values only from contract/methods.ts
//
// Only electron/app/ may import the `electron` package (checked by no-restricted-imports beside this rule).
import path from 'node:path';

const RANK = { core: 0, smtp: 1, clients: 1, network: 1, pst: 1, fixes: 1, report: 1, contract: 2, engine: 3, server: 4, app: 5, cli: 5 };
const ORDER = 'core ← domains (smtp, clients, network, pst, fixes, report) ← contract ← engine ← faces (server ← app, cli)';
const RENDERER_VALUES = new Set(['contract/methods.ts']);

/** The electron/ folder a file lives in ('core', 'pst', …), or null outside electron/. */
function folderOf(file, root) {
  const rel = path.relative(path.join(root, 'electron'), file).split(path.sep);
  return rel.length > 1 && !rel[0].startsWith('..') ? rel[0] : null;
}

function advice(from, to) {
  if (RANK[from] === 1 && RANK[to] <= 1) return `Domains do not import each other: move what both need down to electron/core/, or the code that joins them up to electron/engine/.`;
  if (RANK[to] > RANK[from]) return `Move the shared piece down to electron/core/ (types, errors, progress), or move this code up into the layer that gathers the domains.`;
  return `The app and the CLI are separate faces: share through electron/engine/, electron/contract/ or electron/server/.`;
}

const direction = {
  meta: {
    type: 'problem',
    docs: { description: 'imports run downward only: ' + ORDER },
    schema: [],
    messages: {
      upward: '{{from}}/ may not import {{to}}/ ({{target}}): imports run downward only ({{order}}). {{advice}}',
      renderer: 'the renderer may take only types from electron/core, electron/contract and the domains\' schema files, and values only from electron/contract/methods.ts ({{target}}); it reaches the engine through renderer/src/api/bridge.ts.',
      unknown: 'electron/{{folder}}/ is not a known layer: put the file in one of electron/{{known}}/ (see scripts/eslint/layers.js).',
    },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const inRenderer = path.relative(path.join(root, 'renderer'), file).split(path.sep)[0] !== '..';
    const from = folderOf(file, root);
    if (from !== null && !(from in RANK)) {
      return { Program: (node) => context.report({ node, messageId: 'unknown', data: { folder: from, known: Object.keys(RANK).join(', ') } }) };
    }
    if (from === null && !inRenderer) return {};
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const targetFile = path.resolve(path.dirname(file), spec);
      const to = folderOf(targetFile, root);
      if (to === null) return;
      const target = path.relative(path.join(root, 'electron'), targetFile).split(path.sep).join('/');
      if (inRenderer) {
        const typeOk = to === 'core' || to === 'contract' || /(^|-)schema\.ts$/.test(path.basename(targetFile));
        if ((typeOnly && typeOk) || RENDERER_VALUES.has(target)) return;
        context.report({ node, messageId: 'renderer', data: { target: 'electron/' + target } });
        return;
      }
      if (to === from || !(to in RANK) || RANK[to] < RANK[from]) return;
      context.report({ node, messageId: 'upward', data: { from: 'electron/' + from, to: 'electron/' + to, target: 'electron/' + target, order: ORDER, advice: advice(from, to) } });
    };
    const allTypes = (node) => node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, allTypes(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};

export default { rules: { direction } };
