import { LoggerService } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import { createLogger, format, type Logger, transports } from 'winston';
import type Transport from 'winston-transport';
import type { AppConfig } from '../../config';
import { currentRequestLogFields } from '../request-context';

const addRequestFields = format((info) => Object.assign(info, currentRequestLogFields()));

const prettyLine = format.printf((info) => {
  const { timestamp, level, message, context, requestId, tenant, stack, ...rest } = info;
  for (const accessLogField of ['method', 'path', 'status', 'durationMs']) delete rest[accessLogField];
  const scope = [context, tenant && `tenant=${tenant as string}`, requestId && `req=${requestId as string}`]
    .filter(Boolean)
    .join(' ');
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const trace = typeof stack === 'string' ? `\n${stack}` : '';
  return `${String(timestamp)} ${level} ${scope ? `[${scope}] ` : ''}${String(message)}${extra}${trace}`;
});

/** The winston level of what a Nest LoggerService method logs; a message object may carry its own. */
function levelOf(message: unknown, fallback: string): string {
  const level = (message as { level?: unknown } | null)?.level;
  return typeof level === 'string' ? level : fallback;
}

/**
 * Drops lines below the configured level before winston sees them: winston formats every line
 * (timestamp, request fields, JSON) and only its transports filter by level, which would cost every
 * request its access line at LOG_LEVEL=warn.
 */
function belowLevelDropped(nest: LoggerService, winston: Logger): LoggerService {
  type Write = (message: unknown, ...rest: unknown[]) => void;
  const when =
    (fallback: string, write: Write): Write =>
    (message, ...rest) => {
      if (winston.isLevelEnabled(levelOf(message, fallback))) write(message, ...rest);
    };
  return {
    log: when('info', (message, ...rest) => {
      nest.log(message, ...rest);
    }),
    warn: when('warn', (message, ...rest) => {
      nest.warn(message, ...rest);
    }),
    debug: when('debug', (message, ...rest) => {
      nest.debug?.(message, ...rest);
    }),
    verbose: when('verbose', (message, ...rest) => {
      nest.verbose?.(message, ...rest);
    }),
    error: (message: unknown, ...rest: unknown[]) => {
      nest.error(message, ...rest);
    },
    fatal: (message: unknown, ...rest: unknown[]) => {
      nest.fatal?.(message, ...rest);
    },
  };
}

/** Winston behind Nest's LoggerService: JSON lines in production, readable lines in development. */
export function createAppLogger(
  config: Pick<AppConfig, 'log'>,
  transport: Transport = new transports.Console(),
): LoggerService {
  const lineFormat =
    config.log.format === 'json'
      ? format.combine(format.timestamp(), addRequestFields(), format.errors({ stack: true }), format.json())
      : format.combine(
          format.timestamp({ format: 'HH:mm:ss.SSS' }),
          addRequestFields(),
          format.errors({ stack: true }),
          format.colorize(),
          prettyLine,
        );
  const instance = createLogger({
    level: config.log.level,
    format: lineFormat,
    transports: [transport],
  });
  return belowLevelDropped(WinstonModule.createLogger({ instance }), instance);
}
