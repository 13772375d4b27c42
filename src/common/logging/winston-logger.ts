import { LoggerService } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import { createLogger, format, transports } from 'winston';
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
  return WinstonModule.createLogger({ instance });
}
