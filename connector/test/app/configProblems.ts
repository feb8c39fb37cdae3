import { ConfigError, loadConfig } from '../../src/config/appConfig';

/** The problems start-up would print for `env` (one line each), or [] when it is valid. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
