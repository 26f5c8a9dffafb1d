/**
 * The Home tab: on `app_home_opened`, the unlisted `home` command's reply for
 * that person, published with views.publish; published again, for the people
 * who opened it lately, when what it shows changes (the dispatcher's change
 * signal), at most once per `refreshMs`.
 */
import { safeDispatch, type Dispatcher, type Logger } from '../../core/index.ts';
import { renderSlackHome, type SlackHomeView } from './slack-format.ts';
import { SLACK_PLATFORM } from './slack-payload.ts';

/** The command whose reply is the Home tab. */
export const HOME_COMMAND = 'home';

/** How many people's Home tabs are kept current (the latest to open it). */
export const HOME_AUDIENCE = 200;

/** The shortest pause between two refreshes after changes. */
export const HOME_REFRESH_MS = 2000;

export interface HomeTab {
  /** Publishes the Home tab for a person who opened it, and keeps it current from now on. */
  opened(userId: string): Promise<void>;
  stop(): void;
}

export function createHomeTab(
  dispatcher: Dispatcher,
  publish: (userId: string, view: SlackHomeView) => Promise<unknown>,
  logger: Logger,
  refreshMs = HOME_REFRESH_MS,
): HomeTab | undefined {
  if (!dispatcher.find(HOME_COMMAND)) return undefined;
  // Insertion order is recency: the first is the one who opened it longest ago.
  const audience = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const render = async (userId: string): Promise<void> => {
    const invocation = {
      command: HOME_COMMAND,
      text: '',
      user: { platform: SLACK_PLATFORM, id: userId, name: userId },
      origin: { platform: SLACK_PLATFORM },
    };
    const reply = await safeDispatch(dispatcher, invocation, logger);
    try {
      await publish(userId, renderSlackHome(reply));
    } catch (error) {
      logger.warn({ err: (error as { data?: { error?: unknown } }).data?.error ?? (error as Error).message, user: userId }, 'slack: views.publish failed');
    }
  };

  const refresh = async (): Promise<void> => {
    timer = undefined;
    for (const userId of [...audience]) {
      if (stopped) return;
      await render(userId);
    }
  };

  const unsubscribe = dispatcher.onChange(() => {
    if (stopped || timer || audience.size === 0) return;
    timer = setTimeout(() => void refresh(), refreshMs);
    timer.unref();
  });

  return {
    async opened(userId) {
      audience.delete(userId);
      audience.add(userId);
      if (audience.size > HOME_AUDIENCE) audience.delete(audience.values().next().value as string);
      await render(userId);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
