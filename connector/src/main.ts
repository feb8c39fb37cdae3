import { buildConnector } from './buildConnector';
import { ConfigError, loadConfig, type AppConfig } from './config/appConfig';
import { startLocalMode } from './localMode/localMode';
import { createLogger } from './observability/logger';

/**
 * Start-up: config → (local mode: embedded org) → store (migrations) → connections → app → listen.
 * SIGTERM/SIGINT: stop intake, let the batch in flight record its outcomes, close the store.
 */
async function main(): Promise<void> {
  let loaded: AppConfig;
  try {
    loaded = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) console.error(`Configuration error: ${line}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(loaded.logLevel);
  if (!loaded.localMode && loaded.allowedReturnOrigins.length === 0) {
    log.warn(
      'ALLOWED_RETURN_ORIGINS is not set: connect accepts any http(s) returnUrl from the admin API; list your origins to restrict it',
    );
  }

  const local = loaded.localMode ? await startLocalMode(loaded, log) : undefined;
  const config = local?.config ?? loaded;

  const connector = await buildConnector({ config, log });
  const { port } = await connector.app.start();
  log.info({ port, publicUrl: config.publicUrl }, 'connector started');
  if (local) await local.afterListen({ store: connector.store, port });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: intake stopped, finishing the batch in flight');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await connector.close();
      await local?.close();
      log.info('shut down cleanly');
      process.exit(0);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`Start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
