import { ClsServiceManager, ClsStore } from 'nestjs-cls';

/** What one request keeps in its CLS context besides the request id. */
export interface RequestContextStore extends ClsStore {
  /** Set by tenant resolution; read by the logger for every line of a tenant request. */
  tenantSlug?: string;
}

export interface RequestLogFields {
  requestId?: string;
  tenant?: string;
}

/** The request id and tenant of the current request, for log lines; empty outside a request. */
export function currentRequestLogFields(): RequestLogFields {
  const cls = ClsServiceManager.getClsService<RequestContextStore>();
  if (!cls.isActive()) return {};
  const fields: RequestLogFields = {};
  const requestId = cls.getId();
  if (requestId) fields.requestId = requestId;
  const tenant = cls.get('tenantSlug');
  if (tenant) fields.tenant = tenant;
  return fields;
}
