export { ConfigValidationError, loadAppConfig } from './app-config';
export type {
  AppConfig,
  DatabaseConfig,
  MailConfig,
  MailRetentionConfig,
  NodeEnvironment,
  RateLimitConfig,
} from './app-config';
export { APP_CONFIG, ConfigModule, InjectConfig } from './config.module';
