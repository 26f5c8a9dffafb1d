/** Discord adapter: placeholder until the Discord issue lands. */
import type { DiscordConfig } from '../config.ts';
import type { Adapter, AdapterDeps } from './types.ts';

export function createDiscordAdapter(config: DiscordConfig, deps: AdapterDeps): Adapter {
  void config;
  return {
    name: 'discord',
    async start() {
      deps.logger.error('discord: not available yet');
      throw new Error('discord: not available yet');
    },
    async stop() {},
  };
}
