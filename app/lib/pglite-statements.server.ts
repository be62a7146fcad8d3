import {
  parse,
  protocol,
  type PGlite,
  type QueryOptions,
  type Results,
  type Transaction,
} from "@electric-sql/pglite";

type Statement = { name: string; paramTypes: number[] };

const CACHED_PLAN_CHANGED = "0A000";

/**
 * Named prepared statements for the embedded database (docs/decisions/009-prepared-statements.md).
 *
 * PGlite's own `query()` sends every statement as an unnamed one, in six separate calls into its
 * WebAssembly (parse, describe, bind, describe, execute, sync), so PostgreSQL parses, analyses and
 * plans the SQL again each time. Prisma's relation-join queries are long (an application page's
 * two reads are 5 KB of SQL), and that work, not running them, was most of their cost (the
 * figures are in the decision record).
 *
 * This client, given to the Prisma adapter in PGlite's place, prepares each distinct SQL text
 * once under a name (one call: parse, describe, sync), then runs it with one call (bind,
 * describe, execute, sync), and parses the results with PGlite's own parsers, as `query()`
 * does. What PostgreSQL does with a named statement is ordinary: it keeps the parsed query, and
 * after five runs may keep a generic plan when that costs no more than planning each time.
 * Statements a schema change invalidates are re-planned by PostgreSQL itself; one whose result
 * columns changed is prepared afresh (see `run`). Prepared statements belong to the session,
 * not to a transaction, so one prepared inside a transaction that rolls back stays valid
 * (tested).
 *
 * At most `max` statements are kept, the least recently used closed first: Prisma's SQL for a
 * list with a varying number of values differs by that number.
 */
export class PreparedStatementsClient {
  private readonly statements = new Map<string, Statement>();
  private preparedEver = 0;
  private readonly mergedParsers = new WeakMap<
    NonNullable<QueryOptions["parsers"]>,
    { base: PGlite["parsers"]; parsers: PGlite["parsers"] }
  >();
  /** Names this client's statements: another client on the same database prepares its own. */
  readonly prefix = `exchange_${Math.random().toString(36).slice(2, 8)}_`;

  constructor(
    readonly pglite: PGlite,
    private readonly max = 150,
  ) {}

  get closed() {
    return this.pglite.closed;
  }

  /** How many statements are prepared now, and how many ever were (tests). */
  statementStats() {
    return { prepared: this.statements.size, preparedEver: this.preparedEver };
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    await this.pglite.waitReady;
    return this.pglite._runExclusiveTransaction(() =>
      this.pglite._runExclusiveQuery(async () => {
        const result = await this.run<T>(sql, params, options);
        await this.pglite.syncToFs();
        return result;
      }),
    );
  }

  exec(sql: string, options?: QueryOptions) {
    return this.pglite.exec(sql, options);
  }

  transaction<T>(callback: (tx: PreparedTransaction) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => callback(new PreparedTransaction(this, tx)));
  }

  /** Runs one statement; the caller holds PGlite's query lock. */
  async run<T>(sql: string, params: unknown[] = [], options?: QueryOptions) {
    try {
      return (await this.execute(sql, params, options)) as Results<T>;
    } catch (error) {
      // "cached plan must not change result type": a schema change altered a prepared query's
      // columns. Prepare it afresh, once.
      const stale = this.statements.get(sql);
      if ((error as { code?: string }).code !== CACHED_PLAN_CHANGED || !stale)
        throw withQuery(error, sql, params, options);
      this.statements.delete(sql);
      await this.close(stale);
      try {
        return (await this.execute(sql, params, options)) as Results<T>;
      } catch (again) {
        throw withQuery(again, sql, params, options);
      }
    }
  }

  private async execute(sql: string, params: unknown[], options?: QueryOptions) {
    const statement = await this.prepare(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i] ?? 0;
      const serializer = options?.serializers?.[type] ?? this.pglite.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await this.send(
      protocol.serialize.bind({ statement: statement.name, values }),
      protocol.serialize.describe({ type: "P" }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    );
    return parse.parseResults(messages, this.parsersFor(options), {
      ...options,
      parsers: undefined,
    })[0];
  }

  /**
   * PGlite's parseResults merges the caller's parsers into its own (a few hundred, one per type
   * and array type) on every call: a copy of them all per statement, a cost that showed under load
   * (decision 009). The adapter passes the same parsers each time, so the merge is made once.
   */
  private parsersFor(options?: QueryOptions) {
    const own = options?.parsers;
    if (!own) return this.pglite.parsers;
    let merged = this.mergedParsers.get(own);
    if (!merged || merged.base !== this.pglite.parsers) {
      merged = { base: this.pglite.parsers, parsers: { ...this.pglite.parsers, ...own } };
      this.mergedParsers.set(own, merged);
    }
    return merged.parsers;
  }

  private async prepare(sql: string): Promise<Statement> {
    const known = this.statements.get(sql);
    if (known) {
      // Most recently used last: the map's order is the order of eviction.
      this.statements.delete(sql);
      this.statements.set(sql, known);
      return known;
    }
    const name = `${this.prefix}${++this.preparedEver}`;
    // Throws PostgreSQL's error if the SQL is wrong; then nothing was prepared.
    const described = await this.send(
      protocol.serialize.parse({ name, text: sql }),
      protocol.serialize.describe({ type: "S", name }),
      protocol.serialize.sync(),
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described) };
    this.statements.set(sql, statement);
    if (this.statements.size > this.max) {
      const [oldestSql, oldest] = this.statements.entries().next().value as [string, Statement];
      this.statements.delete(oldestSql);
      await this.close(oldest);
    }
    return statement;
  }

  private async close(statement: Statement) {
    await this.send(
      protocol.serialize.close({ type: "S", name: statement.name }),
      protocol.serialize.sync(),
    );
  }

  /** One call into PGlite for all the messages. */
  private async send(...parts: Uint8Array[]) {
    const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      message.set(part, at);
      at += part.length;
    }
    return (await this.pglite.execProtocol(message, { syncToFs: false })).messages;
  }
}

/** A PGlite transaction whose queries use the client's prepared statements. */
export class PreparedTransaction {
  constructor(
    private readonly client: PreparedStatementsClient,
    private readonly tx: Transaction,
  ) {}

  get closed() {
    return this.tx.closed;
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    if (this.tx.closed) return Promise.reject(new Error("Transaction is closed"));
    return this.client.pglite._runExclusiveQuery(() => this.client.run<T>(sql, params, options));
  }

  exec(sql: string, options?: QueryOptions) {
    return this.tx.exec(sql, options);
  }

  rollback() {
    return this.tx.rollback();
  }
}

/** Adds what PGlite's own query() adds to an error: the query, its parameters and options. */
function withQuery(error: unknown, query: string, params: unknown[], options?: QueryOptions) {
  if (error && typeof error === "object" && "code" in error)
    Object.assign(error, { query, params, queryOptions: options });
  return error;
}
