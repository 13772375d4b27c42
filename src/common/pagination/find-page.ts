import type { EntityManager, EntityTarget, FindOptionsOrder, ObjectLiteral } from 'typeorm';
import type { Page, PaginationQueryDto } from './pagination';

const TOTAL = 'page_total';

/**
 * One page of an entity's rows and their total in one statement (`count(*) OVER ()` is computed
 * before LIMIT), where findAndCount sends two. A page past the end has no row to carry the total:
 * only then is it counted apart.
 */
export async function findPage<Entity extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<Entity>,
  order: FindOptionsOrder<Entity>,
  query: PaginationQueryDto,
): Promise<Page<Entity>> {
  const { entities, raw } = await manager
    .createQueryBuilder(entity, 'entity')
    .setFindOptions({ order, skip: query.offset, take: query.limit })
    .addSelect('count(*) OVER ()', TOTAL)
    .getRawAndEntities<Record<typeof TOTAL, string>>();
  const total = raw.length > 0 ? Number(raw[0][TOTAL]) : query.offset === 0 ? 0 : await manager.count(entity);
  return { items: entities, total, page: query.page, limit: query.limit };
}
