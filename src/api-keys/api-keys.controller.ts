import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { BILLING_ERRORS } from '../billing/billing.errors';
import { Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { ResourceIdPipe } from '../common/pagination/resource-id.pipe';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { API_KEY_ERRORS } from './api-keys.errors';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CreatedApiKeyDto } from './dto/created-api-key.dto';

// Not @ApiKeyScoped: API keys cannot manage API keys (403 INSUFFICIENT_SCOPE).
@ApiTags('api-keys')
@TenantController('api-keys')
@Roles('owner', 'admin')
@ApiErrors(API_KEY_ERRORS.INSUFFICIENT_SCOPE)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer is the only time the key is shown' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(API_KEY_ERRORS.UNKNOWN_SCOPE, API_KEY_ERRORS.INVALID_EXPIRY, BILLING_ERRORS.PLAN_LIMIT_REACHED)
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List the unrevoked API keys of the tenant, newest first, without their secrets' })
  @ApiOkResponse({ type: ApiKeyDto, isArray: true })
  list(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key: it stops working with the next request' })
  @ApiNoContentResponse()
  @ApiErrors(HTTP_ERRORS.NOT_FOUND)
  revoke(@Param('id', ResourceIdPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
