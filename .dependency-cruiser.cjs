/** Import boundaries from ARCHITECTURE.md: dependencies point inward. */
module.exports = {
  forbidden: [
    { name: 'protocol-imports-nothing-of-ours', severity: 'error', comment: 'protocol/ holds wire schemas only',
      from: { path: '^protocol/' }, to: { path: '^(core|drivers|renderer|electron|hq|test|bench|scripts)/' } },
    { name: 'renderer-only-protocol', severity: 'error', comment: 'the renderer is a pure view: protocol types and React only',
      from: { path: '^renderer/' }, to: { path: '^(core|drivers|electron|hq|test|bench|scripts)/' } },
    { name: 'renderer-no-node', severity: 'error', comment: 'the renderer runs sandboxed without Node',
      from: { path: '^renderer/' }, to: { dependencyTypes: ['core'] } },
    { name: 'core-not-outward', severity: 'error', comment: 'core may use protocol and drivers only',
      from: { path: '^core/' }, to: { path: '^(renderer|electron|hq|test|bench|scripts)/' } },
    { name: 'drivers-node-only', severity: 'error', comment: 'drivers depend on node libraries only (and the one clock, core/clock.ts)',
      from: { path: '^drivers/' }, to: { path: '^(core|renderer|electron|hq|protocol|test|bench|scripts)/', pathNot: '^core/clock\\.ts$' } },
    { name: 'electron-protocol-and-core-entry', severity: 'error', comment: 'electron/ may use protocol and the core entry point only',
      from: { path: '^electron/' }, to: { path: '^(renderer|drivers|hq|test|bench|scripts)/|^core/(?!main\\.ts$)' } },
    { name: 'hq-protocol-only', severity: 'error', comment: 'HQ is a separate program (it shares only the one clock, core/clock.ts)',
      from: { path: '^hq/' }, to: { path: '^(core|drivers|renderer|electron|test|bench|scripts)/', pathNot: '^core/clock\\.ts$' } },
    { name: 'electron-only-in-electron', severity: 'error', comment: 'Electron APIs only in electron/',
      from: { pathNot: '^(electron/|scripts/start\\.mjs$)' }, to: { path: 'node_modules/electron/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
