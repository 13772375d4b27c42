import { Client, Query } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { PrefacedQuery } from '../../src/tenancy/prefaced-query';
import { readInTenantSchema, runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import { fixtureNotes } from '../support/fixture-notes/fixture-notes';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseServer } from '../support/test-database';
import { createTenant } from '../support/tenants';

/** What the server holds for the current statement: its search_path, read-only flag and transaction. */
const STATEMENT_STATE = `SELECT current_setting('search_path') AS "searchPath",
  current_setting('transaction_read_only') AS "readOnly", statement_timestamp()::text AS "statementAt", now()::text AS "transactionAt"`;

interface StatementState {
  searchPath: string;
  readOnly: string;
  statementAt: string;
  transactionAt: string;
}

/** Counts the statements this process sends through pg while `work` runs. */
async function countSent<T>(work: () => Promise<T>): Promise<{ sent: string[]; result: T }> {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const sent: string[] = [];
  prototype.query = function (this: Client, ...args: unknown[]) {
    const [query] = args;
    sent.push(typeof query === 'string' ? query : (query as { text: string }).text);
    return original.apply(this, args);
  };
  try {
    return { sent, result: await work() };
  } finally {
    prototype.query = original;
  }
}

/**
 * The data-layer half of tenant isolation, on a pool of one connection so that every call reuses
 * the connection the previous one left: reads pin each statement on its own, transactions pin once,
 * and neither leaves anything on the connection.
 */
describe('schema pinning', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let acme: CurrentTenant;
  let globex: CurrentTenant;

  const sessionState = async () => (await dataSource.query<StatementState[]>(STATEMENT_STATE))[0];
  const noteNames = (manager: EntityManager, where = '') =>
    manager
      .query<{ name: string }[]>(`SELECT name FROM fixture_notes ${where} ORDER BY name`)
      .then((rows) => rows.map((row) => row.name));

  beforeAll(async () => {
    testApp = await startTestApp({ env: { DB_POOL_SIZE: '1' }, ...fixtureNotes });
    dataSource = testApp.app.get(DataSource);
    acme = await createTenant(testApp.app);
    globex = await createTenant(testApp.app);
    for (const tenant of [acme, globex]) {
      await dataSource.query(`INSERT INTO "${tenant.schemaName}".fixture_notes (name) VALUES ($1), ($2)`, [
        `${tenant.slug}-one`,
        `${tenant.slug}-two`,
      ]);
    }
  });
  afterAll(() => testApp.close());

  afterEach(async () => {
    // Whatever a test did, the one pooled connection is back at its session defaults.
    const state = await sessionState();
    expect(state.searchPath).toBe('"$user", public');
    expect(state.readOnly).toBe('off');
  });

  describe('reads', () => {
    it('pin every statement, with or without parameters, to the tenant schema, read-only', async () => {
      // A SET LOCAL outside a transaction block would only warn and do nothing: the server must be silent.
      const notices: string[] = [];
      const onNotice = (notice: { message?: string }) => notices.push(notice.message ?? '');
      const { sent, result } = await countSent(() =>
        readInTenantSchema(dataSource, acme.schemaName, async (manager) => {
          const client = (await manager.queryRunner!.connect()) as Client;
          client.on('notice', onNotice);
          try {
            return {
              plain: await noteNames(manager),
              parameterised: (
                await manager.query<{ name: string }[]>('SELECT name FROM fixture_notes WHERE name = $1', [
                  `${acme.slug}-two`,
                ])
              ).map((row) => row.name),
              state: (await manager.query<StatementState[]>(STATEMENT_STATE))[0],
              parameterisedState: (
                await manager.query<StatementState[]>(`${STATEMENT_STATE} WHERE $1`, [true])
              )[0],
              catalogueVisible: (
                await manager.query<{ found: boolean }[]>(
                  `SELECT to_regclass('tenants') IS NOT NULL AS found`,
                )
              )[0].found,
            };
          } finally {
            client.off('notice', onNotice);
          }
        }),
      );
      expect(result.plain).toEqual([`${acme.slug}-one`, `${acme.slug}-two`]);
      expect(result.parameterised).toEqual([`${acme.slug}-two`]);
      for (const state of [result.state, result.parameterisedState]) {
        expect(state).toMatchObject({ searchPath: acme.schemaName, readOnly: 'on' });
      }
      expect(result.catalogueVisible).toBe(false);
      expect(notices).toEqual([]);
      // One round trip per statement: no BEGIN, no COMMIT, no separate pin.
      expect(sent).toHaveLength(5);
    });

    it('answer TypeORM finds exactly as a transaction does', async () => {
      const find = (manager: EntityManager) =>
        manager.query<{ name: string }[]>('SELECT name FROM fixture_notes ORDER BY name DESC LIMIT $1', [1]);
      const read = await readInTenantSchema(dataSource, globex.schemaName, find);
      const transaction = await runInTenantSchema(dataSource, globex.schemaName, find);
      expect(read).toEqual(transaction);
      expect(read).toEqual([{ name: `${globex.slug}-two` }]);
    });

    it('refuse writes and leave nothing written', async () => {
      for (const values of [undefined, ['written by a read']]) {
        await expect(
          readInTenantSchema(dataSource, acme.schemaName, (manager) =>
            values
              ? manager.query('INSERT INTO fixture_notes (name) VALUES ($1)', values)
              : manager.query(`INSERT INTO fixture_notes (name) VALUES ('written by a read')`),
          ),
        ).rejects.toThrow('read-only transaction');
      }
      const names = await readInTenantSchema(dataSource, acme.schemaName, (manager) => noteNames(manager));
      expect(names).toEqual([`${acme.slug}-one`, `${acme.slug}-two`]);
    });

    it('leave the connection clean after a failing statement, and the next tenant sees only its rows', async () => {
      await expect(
        readInTenantSchema(dataSource, acme.schemaName, (manager) =>
          manager.query('SELECT * FROM no_such_table'),
        ),
      ).rejects.toThrow('no_such_table');
      const names = await readInTenantSchema(dataSource, globex.schemaName, (manager) => noteNames(manager));
      expect(names).toEqual([`${globex.slug}-one`, `${globex.slug}-two`]);
    });

    it('roll back a transaction the work opened and did not end, instead of pooling it', async () => {
      await readInTenantSchema(dataSource, acme.schemaName, async (manager) => {
        await manager.query('START TRANSACTION');
      });
      const state = await sessionState();
      expect(state.statementAt).toBe(state.transactionAt);
    });

    it('refuse a query object that could not carry the pin', async () => {
      await expect(
        readInTenantSchema(dataSource, acme.schemaName, async (manager) => {
          const client = (await manager.queryRunner!.connect()) as Client;
          client.query(new Query('SELECT name FROM fixture_notes'));
        }),
      ).rejects.toThrow('cannot carry the schema pin');
    });
  });

  describe('transactions', () => {
    it.each([
      ['without parameters, as one simple query', STATEMENT_STATE, undefined],
      ['with parameters, as one pipeline', `${STATEMENT_STATE} WHERE $1`, [true]],
    ])(
      'begin with their first statement (%s), pin once, and end with one COMMIT',
      async (_, first, values) => {
        const { sent, result } = await countSent(() =>
          runInTenantSchema(dataSource, acme.schemaName, async (manager) => {
            const begun = (await manager.query<StatementState[]>(first, values))[0];
            const names = await noteNames(manager, `WHERE name LIKE '%-one'`);
            const last = (await manager.query<StatementState[]>(STATEMENT_STATE))[0];
            return { begun, names, last };
          }),
        );
        expect(result.begun).toMatchObject({ searchPath: acme.schemaName, readOnly: 'off' });
        expect(result.last.searchPath).toBe(acme.schemaName);
        // One transaction: now() is its start, the same for every statement.
        expect(result.last.transactionAt).toBe(result.begun.transactionAt);
        expect(result.last.statementAt).not.toBe(result.last.transactionAt);
        expect(result.names).toEqual([`${acme.slug}-one`]);
        expect(sent).toEqual([
          values ? first : `START TRANSACTION; SET LOCAL search_path = ${acme.schemaName}; ${first}`,
          expect.stringMatching(/^SELECT name FROM fixture_notes/),
          STATEMENT_STATE,
          'COMMIT',
        ]);
      },
    );

    it('pin every statement again once raw SQL has ended the transaction', async () => {
      for (const end of ['commit', 'END']) {
        const result = await runInTenantSchema(dataSource, acme.schemaName, async (manager) => {
          await manager.query('INSERT INTO fixture_notes (name) VALUES ($1)', [`${acme.slug}-${end}`]);
          await manager.query(end);
          return (await manager.query<StatementState[]>(STATEMENT_STATE))[0];
        });
        expect(result.searchPath).toBe(acme.schemaName);
        // Outside the transaction now: the statement ran in one of its own.
        expect(result.statementAt).toBe(result.transactionAt);
      }
      await runInTenantSchema(dataSource, acme.schemaName, (manager) =>
        manager.query(`DELETE FROM fixture_notes WHERE name IN ($1, $2)`, [
          `${acme.slug}-commit`,
          `${acme.slug}-END`,
        ]),
      );
    });

    it('send nothing at all when the work sends nothing', async () => {
      const { sent } = await countSent(() =>
        runInTenantSchema(dataSource, acme.schemaName, () => Promise.resolve('done')),
      );
      expect(sent).toEqual([]);
    });

    it('commit writes atomically and roll them all back on a failure', async () => {
      await runInTenantSchema(dataSource, globex.schemaName, async (manager) => {
        await manager.query(`INSERT INTO fixture_notes (name) VALUES ('${globex.slug}-three')`);
        await manager.query('INSERT INTO fixture_notes (name) VALUES ($1)', [`${globex.slug}-four`]);
      });
      await expect(
        runInTenantSchema(dataSource, globex.schemaName, async (manager) => {
          await manager.query('INSERT INTO fixture_notes (name) VALUES ($1)', [`${globex.slug}-lost`]);
          await manager.query('SELECT * FROM no_such_table');
        }),
      ).rejects.toThrow('no_such_table');
      const names = await readInTenantSchema(dataSource, globex.schemaName, (manager) => noteNames(manager));
      expect(names).toEqual([
        `${globex.slug}-four`,
        `${globex.slug}-one`,
        `${globex.slug}-three`,
        `${globex.slug}-two`,
      ]);
    });

    it('leave the connection clean when the very first statement fails', async () => {
      for (const values of [undefined, [1]]) {
        await expect(
          runInTenantSchema(dataSource, acme.schemaName, (manager) =>
            manager.query(
              values ? 'SELECT * FROM no_such_table WHERE 1 = $1' : 'SELECT * FROM no_such_table',
              values,
            ),
          ),
        ).rejects.toThrow('no_such_table');
        const state = await sessionState();
        expect(state.statementAt).toBe(state.transactionAt);
      }
    });
  });

  describe('a statement behind a preamble', () => {
    let client: Client;

    beforeAll(async () => {
      client = new Client({ ...testDatabaseServer, database: testApp.databaseName });
      await client.connect();
      await client.query('CREATE TEMP TABLE preamble_probe (value text)');
    });
    afterAll(() => client.end());

    const send = (preamble: string[], text: string, values: unknown[]) =>
      new Promise((resolve, reject) => {
        client.query(
          new PrefacedQuery(
            text,
            values,
            (error, result) => (error ? reject(error) : resolve(result)),
            preamble,
          ),
        );
      });

    it('answers with the statement’s rows alone, the preamble in force', async () => {
      const result = await send(
        [`SELECT set_config('application_name', 'preamble probe', true)`, 'SELECT 1, 2, 3'],
        `SELECT $1::text AS value, current_setting('application_name') AS name`,
        ['given'],
      );
      expect(result).toMatchObject({
        command: 'SELECT',
        rowCount: 1,
        rows: [{ value: 'given', name: 'preamble probe' }],
      });
    });

    it('never runs the statement when a preamble statement fails', async () => {
      await expect(
        send(['SELECT 1 / 0'], 'INSERT INTO preamble_probe (value) VALUES ($1)', ['must not be written']),
      ).rejects.toThrow('division by zero');
      const { rows } = await client.query('SELECT count(*)::int AS count FROM preamble_probe');
      expect(rows).toEqual([{ count: 0 }]);
      // The connection went on: the pipeline ended at its Sync.
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });
});
