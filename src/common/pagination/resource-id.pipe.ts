import { ParseUUIDPipe } from '@nestjs/common';
import { NotFoundException } from '../errors/app.exception';

/** A path id that is not a UUID names no resource: 404, like an id of another tenant. */
export const ResourceIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException() });
