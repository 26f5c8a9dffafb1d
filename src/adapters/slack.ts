/** Slack adapter: placeholder until the Slack issue lands. */
import type { SlackConfig } from '../config.ts';
import type { Adapter, AdapterDeps } from './types.ts';

export function createSlackAdapter(config: SlackConfig, deps: AdapterDeps): Adapter {
  void config;
  return {
    name: 'slack',
    async start() {
      deps.logger.error('slack: not available yet');
      throw new Error('slack: not available yet');
    },
    async stop() {},
  };
}
