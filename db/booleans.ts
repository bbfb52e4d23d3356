import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * Yes/no columns. PostgreSQL stores them as `boolean`; SQLite has no boolean type and stores 0/1
 * integers (the migrations' `bool()` helper). Model code reads and writes JS booleans on both:
 * SQLite is given 1/0 for true/false (sqliteBooleanBinding), and a result column with one of
 * these names reads back as a boolean (BooleanResults). tests/integration/schema-types.test.ts
 * checks this list against the schema.
 */
export const BOOLEAN_COLUMNS: ReadonlySet<string> = new Set([
  "access_bsl",
  "access_captions",
  "access_step_free",
  "all_day",
  "cancelled",
  "enabled",
  "hidden",
  "include_follows",
  "is_free",
  "is_platform_admin",
  "locked",
  "members_only",
  "mfa_verified",
  "moved",
  "online",
  "online_url_registrants_only",
  "pinned",
  "profile_visible",
  "registration_required",
  "upstream_cancelled",
]);

/** Reads a yes/no column as a JS boolean whichever way the database returned it (0/1 or true/false). */
export class BooleanResults implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) {
      for (const key in row) {
        if (BOOLEAN_COLUMNS.has(key)) {
          const v = row[key];
          if (v === 0 || v === 1) row[key] = v === 1;
        }
      }
    }
    return args.result;
  }
}

function bindable(parameters: ReadonlyArray<unknown>): unknown[] {
  return parameters.map((p) => (p === true ? 1 : p === false ? 0 : p));
}

/** better-sqlite3 cannot bind a JS boolean: every statement's true/false parameters go in as 1/0. */
export function sqliteBooleanBinding(database: SqliteDatabase): SqliteDatabase {
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = database.prepare(sql);
      return {
        get reader() {
          return stmt.reader;
        },
        all: (parameters) => stmt.all(bindable(parameters)),
        run: (parameters) => stmt.run(bindable(parameters)),
        iterate: (parameters) => stmt.iterate(bindable(parameters)),
      };
    },
  };
}
