package io.employeemgmt.datagen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The indexes and constraints a bulk load takes off the loaded tables and puts back afterwards, read from the live
 * catalog (the migrations stay their only definition). Measured at 300,024 employees: the foreign-key triggers and
 * the btree indexes checked row by row cost about 40 % of the COPY; re-creating them afterwards costs seconds. The
 * GiST exclusion constraints stay: building one over 2.8 M salary rows took 263 s, four times what inserting into
 * it row by row costs (PostgreSQL 15 has no sorted GiST build for {@code btree_gist} + range columns).
 *
 * <p>The load runs on several connections, so the dropped state is committed while it runs. Until the objects are
 * back, their DDL is also kept in the table {@value #PENDING}: a load that dies half-way (process killed) is
 * undone by the next loader, which clears the rows and re-creates what is missing before anything else.
 */
final class LoadSchema {

    static final String PENDING = "demo_data_pending_ddl";
    private static final String HISTORY_TABLES =
            "'dept_emp'::regclass, 'dept_manager'::regclass, 'titles'::regclass, 'salaries'::regclass";

    /** One dropped index or foreign key: its name, its table and the statement that re-creates it. */
    record Ddl(String name, String table, boolean foreignKey, String create) {}

    private LoadSchema() {}

    /** Takes the foreign keys and plain/unique indexes off (committed), recording them in {@value #PENDING}. */
    static List<Ddl> relax(Connection connection) throws SQLException {
        List<Ddl> relaxed = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT conname, conrelid::regclass::text, true,"
                    + " format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,"
                    + " pg_get_constraintdef(oid)) FROM pg_constraint WHERE contype = 'f' AND conrelid IN ("
                    + HISTORY_TABLES + ") UNION ALL SELECT indexrelid::regclass::text, indrelid::regclass::text,"
                    + " false, pg_get_indexdef(indexrelid) FROM pg_index WHERE NOT indisprimary"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)"
                    + " AND (indrelid IN (" + HISTORY_TABLES + ")"
                    + " OR indrelid = 'employees'::regclass AND NOT indisunique) ORDER BY 3, 2, 1")) {
                while (rows.next()) {
                    relaxed.add(new Ddl(rows.getString(1), rows.getString(2), rows.getBoolean(3), rows.getString(4)));
                }
            }
            connection.setAutoCommit(false);
            try {
                statement.execute("CREATE TABLE " + PENDING
                        + " (name text PRIMARY KEY, table_name text NOT NULL, foreign_key boolean NOT NULL,"
                        + " ddl text NOT NULL)");
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO " + PENDING + " VALUES (?, ?, ?, ?)")) {
                    for (Ddl ddl : relaxed) {
                        insert.setString(1, ddl.name());
                        insert.setString(2, ddl.table());
                        insert.setBoolean(3, ddl.foreignKey());
                        insert.setString(4, ddl.create());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                for (Ddl ddl : relaxed) {
                    statement.execute(
                            ddl.foreignKey()
                                    ? "ALTER TABLE " + ddl.table() + " DROP CONSTRAINT " + quote(ddl.name())
                                    : "DROP INDEX " + ddl.name());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return relaxed;
    }

    /** The objects a load took off and that are still missing (after a failure or a killed process). */
    static List<Ddl> missing(Connection connection) throws SQLException {
        List<Ddl> missing = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            if (!unfinished(connection)) {
                return missing;
            }
            try (var rows = statement.executeQuery("SELECT p.name, p.table_name, p.foreign_key, p.ddl FROM "
                    + PENDING + " p WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE p.foreign_key"
                    + " AND c.conname = p.name AND c.conrelid = p.table_name::regclass)"
                    + " AND (p.foreign_key OR to_regclass(p.name) IS NULL) ORDER BY p.foreign_key, p.name")) {
                while (rows.next()) {
                    missing.add(new Ddl(rows.getString(1), rows.getString(2), rows.getBoolean(3), rows.getString(4)));
                }
            }
        }
        return missing;
    }

    /** Whether an earlier load left {@value #PENDING} behind (it died before it finished). */
    static boolean unfinished(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT to_regclass('" + PENDING + "') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Undoes a load that failed or died: removes every generated row, puts back what is missing and drops
     * {@value #PENDING}, in one transaction (if this fails too, the next loader tries again).
     */
    static void undo(Connection connection, List<String> departments) throws SQLException {
        List<Ddl> missing = missing(connection);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE salaries, titles, dept_emp, dept_manager");
            statement.execute("DELETE FROM employees");
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM departments WHERE dept_no = ?")) {
                for (String dept : departments) {
                    delete.setString(1, dept);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            for (Ddl ddl : missing) {
                statement.execute(ddl.create());
            }
            statement.execute("DROP TABLE IF EXISTS " + PENDING);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Ends a successful load: the objects are all back, so the record of them goes. */
    static void finish(Statement statement) throws SQLException {
        statement.execute("DROP TABLE " + PENDING);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
