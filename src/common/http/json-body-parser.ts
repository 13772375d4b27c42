import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { AppException } from '../errors/app.exception';
import { REQUEST_ERRORS } from '../errors/common.errors';

/**
 * The API reads JSON bodies and nothing else: any other content type is a 415
 * UNSUPPORTED_MEDIA_TYPE, a body over the limit a 413 PAYLOAD_TOO_LARGE (fastify raises both, the
 * exception filter codes them by status), JSON that does not parse a 400 MALFORMED_JSON. An empty JSON
 * body is an empty object, as clients that always send the header expect. The Stripe webhook's raw
 * bytes are kept (`rawBody`) by Nest around this parser.
 */
export function acceptJsonBodiesOnly(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', {}, (request, body: Buffer, done) => {
    if (body.length === 0) return done(null, {});
    void parseJson(request, body.toString('utf8'), (error, parsed) =>
      error
        ? done(
            new AppException(REQUEST_ERRORS.MALFORMED_JSON, 'The request body is not valid JSON'),
            undefined,
          )
        : done(null, parsed),
    );
  });
}
