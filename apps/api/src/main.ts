/** Entry point: configuration from the environment, the platform, and an HTTP listener. */
import { consoleLogger } from './app-deps';
import { configFromEnv } from './config/app-config';
import { startPlatform } from './platform';

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const platform = await startPlatform(config, { log: consoleLogger });
  if (platform.bootstrapApiKey !== undefined && config.adminApiKey === undefined) {
    // Shown once: only its hash is stored.
    process.stdout.write(`\nAdmin principal created. API key (store it now, it is not shown again):\n  ${platform.bootstrapApiKey}\n\n`);
  }
  const server = platform.app.listen(config.port, config.host, () => {
    consoleLogger.info('SAFAX-TS api listening', { url: config.publicBaseUrl, docs: `${config.publicBaseUrl}/docs`, database: platform.database.provider, outboundAllow: config.outboundAllow });
  });
  const stop = (): void => {
    server.close(() => {
      void platform.close().then(() => process.exit(0));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  consoleLogger.error('start failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
