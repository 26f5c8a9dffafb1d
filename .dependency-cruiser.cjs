/**
 * The architecture, checked: `npm run check` and CI fail on an import cycle or
 * an arrow against the layering (README, "Architecture").
 *
 *   commands/ ──► src/core/index.ts ◄── src/adapters/
 *   inside core: domain, util ◄── text ◄── search, sources, store ◄── snapshot ◄── kb ◄── bot
 *   src/main.ts imports all of them; nothing imports it.
 */

/** A core folder may import only the folders listed for it (and itself). */
const CORE_LAYERS = {
  domain: [],
  util: [],
  text: ['domain', 'util'],
  search: ['domain', 'util', 'text'],
  sources: ['domain', 'util', 'text'],
  store: ['domain', 'util', 'text', 'sources'],
  snapshot: ['domain', 'util', 'text', 'search', 'sources'],
  kb: ['domain', 'util', 'text', 'search', 'sources', 'store', 'snapshot'],
  bot: ['domain', 'util', 'text', 'search', 'sources', 'store', 'snapshot', 'kb'],
};

const layerRules = Object.entries(CORE_LAYERS).map(([layer, allowed]) => ({
  name: `core-${layer}-layering`,
  comment: `src/core/${layer}/ may import only ${allowed.length ? allowed.map((a) => `src/core/${a}/`).join(', ') : 'nothing else in the core'}`,
  severity: 'error',
  from: { path: `^src/core/${layer}/` },
  to: { path: '^src/core/', pathNot: [`^src/core/(${[layer, ...allowed].join('|')})/`] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle is a design bug: split the shared part into a module both can import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'core-is-platform-neutral',
      comment: 'The core knows nothing of Slack, Discord, commands, adapters, configuration, main or how the bot is built (src/parsing-worker.ts).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/(?!core/)', '^commands/', '(^|/)node_modules/(@slack/bolt|discord\\.js|@discordjs)/'] },
    },
    {
      name: 'core-inside-skips-barrel',
      comment: 'Inside the core, import the module itself: the barrel is for commands, adapters, scripts and main.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/core/index\\.ts$' },
    },
    {
      name: 'commands-through-barrel',
      comment: 'A command imports the core through src/core/index.ts only, and nothing of adapters or main.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^src/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'adapters-through-barrel',
      comment: 'An adapter imports the core through src/core/index.ts (and configuration types), never commands or main.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: ['^src/core/', '^commands/', '^src/main\\.ts$'], pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'adapters-independent',
      comment: 'One platform adapter does not import another; shared adapter code sits in src/adapters/*.ts.',
      severity: 'error',
      from: { path: '^src/adapters/(console|slack|discord)/' },
      to: { path: '^src/adapters/(console|slack|discord)/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'nothing-imports-main',
      comment: 'src/main.ts is the composition root.',
      severity: 'error',
      from: {},
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'bot-code-skips-tests-and-bench',
      comment: 'The running bot never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
    exclude: { path: '(^|/)(node_modules|dist)/' },
  },
};
