package io.employeemgmt.auth;

import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.platform.SqlWhere;
import io.employeemgmt.platform.security.Role;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

    record NewUser(
            String username,
            @Nullable String email,
            @Nullable String displayName,
            String passwordHash,
            @Nullable Long employeeNumber,
            Set<Role> roles) {}

    record Filter(
            @Nullable String query,
            @Nullable Role role,
            @Nullable Boolean enabled) {}

    private static final String SELECT = """
            SELECT u.id, u.username, u.email, u.display_name, u.password_hash, u.emp_no, u.enabled,
                   u.failed_attempts, u.locked_until, u.last_login_at, u.created_at, u.updated_at,
                   coalesce(array_agg(r.role) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
              FROM auth_users u
              LEFT JOIN auth_user_roles r ON r.user_id = u.id
            """;

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserAccount> findById(UUID id) {
        return jdbc.sql(SELECT + " WHERE u.id = :id GROUP BY u.id")
                .param("id", id)
                .query(UserRepository::map)
                .optional();
    }

    /** By username, or by email when the identifier contains '@' (usernames cannot). */
    Optional<UserAccount> findByLogin(String identifier) {
        String column = identifier.indexOf('@') >= 0 ? "u.email" : "u.username";
        return jdbc.sql(SELECT + " WHERE lower(" + column + ") = lower(:identifier) GROUP BY u.id")
                .param("identifier", identifier)
                .query(UserRepository::map)
                .optional();
    }

    UUID insert(NewUser user, String actor) {
        UUID id = jdbc.sql("""
                        INSERT INTO auth_users (username, email, display_name, password_hash, emp_no, created_by,
                                                updated_by)
                        VALUES (:username, :email, :displayName, :passwordHash, :empNo, :actor, :actor)
                        RETURNING id
                        """)
                .param("username", user.username())
                .param("email", user.email())
                .param("displayName", user.displayName())
                .param("passwordHash", user.passwordHash())
                .param("empNo", user.employeeNumber())
                .param("actor", actor)
                .query(UUID.class)
                .single();
        replaceRoles(id, user.roles(), actor);
        return id;
    }

    void replaceRoles(UUID id, Set<Role> roles, String actor) {
        jdbc.sql("DELETE FROM auth_user_roles WHERE user_id = :id")
                .param("id", id)
                .update();
        for (Role role : roles) {
            jdbc.sql("INSERT INTO auth_user_roles (user_id, role) VALUES (:id, :role)")
                    .param("id", id)
                    .param("role", role.name())
                    .update();
        }
        touch(id, actor);
    }

    List<UserAccount> list(Filter filter, SortOrder sort, long offset, int limit) {
        SqlWhere where = where(filter);
        return jdbc.sql(SELECT + where.sql() + " GROUP BY u.id ORDER BY " + sort.column() + " " + sort.direction()
                        + ", u.id LIMIT :limit OFFSET :offset")
                .params(where.params())
                .param("limit", limit)
                .param("offset", offset)
                .query(UserRepository::map)
                .list();
    }

    long count(Filter filter) {
        SqlWhere where = where(filter);
        return jdbc.sql("SELECT count(*) FROM auth_users u" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    private static SqlWhere where(Filter filter) {
        return new SqlWhere()
                .andIf(
                        filter.query() == null
                                ? null
                                : SqlWhere.likeContains(filter.query().toLowerCase(Locale.ROOT)),
                        "(lower(u.username) LIKE :query OR lower(u.email) LIKE :query"
                                + " OR lower(u.display_name) LIKE :query)",
                        "query")
                .andIf(
                        filter.role() == null ? null : filter.role().name(),
                        "EXISTS (SELECT 1 FROM auth_user_roles f WHERE f.user_id = u.id AND f.role = :role)",
                        "role")
                .andIf(filter.enabled(), "u.enabled = :enabled", "enabled");
    }

    /**
     * Takes one login attempt before the password is checked: counts it as failed up front, unless the account is
     * locked or already has {@code max} attempts in flight. Empty means locked: do not check the password.
     */
    OptionalInt reserveAttempt(UUID id, Instant now, int max) {
        return jdbc.sql("""
                        UPDATE auth_users SET failed_attempts = failed_attempts + 1
                         WHERE id = :id AND (locked_until IS NULL OR locked_until <= :now) AND failed_attempts < :max
                        RETURNING failed_attempts
                        """)
                .param("id", id)
                .param("now", utc(now))
                .param("max", max)
                .query(Integer.class)
                .optional()
                .map(OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    /** The reserved attempt failed; the {@code max}-th failure locks the account until {@code lockUntil}. */
    boolean lockIfExhausted(UUID id, int attempt, int max, Instant lockUntil) {
        return attempt >= max
                && jdbc.sql("UPDATE auth_users SET locked_until = :lockUntil, failed_attempts = 0 WHERE id = :id")
                                .param("id", id)
                                .param("lockUntil", utc(lockUntil))
                                .update()
                        > 0;
    }

    void recordSuccessfulLogin(UUID id, Instant now) {
        jdbc.sql("UPDATE auth_users SET failed_attempts = 0, locked_until = NULL, last_login_at = :now WHERE id = :id")
                .param("id", id)
                .param("now", utc(now))
                .update();
    }

    /** A correct password outside login (change-password, profile change) clears the reserved attempt. */
    void clearFailedAttempts(UUID id) {
        jdbc.sql("UPDATE auth_users SET failed_attempts = 0 WHERE id = :id AND locked_until IS NULL")
                .param("id", id)
                .update();
    }

    void updatePasswordHash(UUID id, String hash, Instant now, String actor) {
        jdbc.sql("""
                        UPDATE auth_users SET password_hash = :hash, password_changed_at = :now, updated_at = :now,
                               updated_by = :actor, version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("hash", hash)
                .param("now", utc(now))
                .param("actor", actor)
                .update();
    }

    /** Rehash on login with current encoder settings; not a user-visible change. */
    void upgradePasswordHash(UUID id, String hash) {
        jdbc.sql("UPDATE auth_users SET password_hash = :hash WHERE id = :id")
                .param("id", id)
                .param("hash", hash)
                .update();
    }

    void updateProfile(UUID id, @Nullable String email, @Nullable String displayName, String actor) {
        jdbc.sql("""
                        UPDATE auth_users SET email = :email, display_name = :displayName, updated_at = now(),
                               updated_by = :actor, version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("email", email)
                .param("displayName", displayName)
                .param("actor", actor)
                .update();
    }

    void setEnabled(UUID id, boolean enabled, String actor) {
        jdbc.sql("""
                        UPDATE auth_users SET enabled = :enabled, updated_at = now(), updated_by = :actor,
                               version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("enabled", enabled)
                .param("actor", actor)
                .update();
    }

    void unlock(UUID id, String actor) {
        jdbc.sql("""
                        UPDATE auth_users SET failed_attempts = 0, locked_until = NULL, updated_at = now(),
                               updated_by = :actor, version = version + 1
                         WHERE id = :id
                        """).param("id", id).param("actor", actor).update();
    }

    void linkEmployee(UUID id, @Nullable Long employeeNumber, String actor) {
        jdbc.sql("""
                        UPDATE auth_users SET emp_no = :empNo, updated_at = now(), updated_by = :actor,
                               version = version + 1
                         WHERE id = :id
                        """)
                .param("id", id)
                .param("empNo", employeeNumber)
                .param("actor", actor)
                .update();
    }

    boolean employeeExists(long employeeNumber) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM employees WHERE emp_no = :empNo)")
                .param("empNo", employeeNumber)
                .query(Boolean.class)
                .single();
    }

    /** Serialises changes that could leave the system without an enabled administrator. */
    void lockAdministrators() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('employee-api:auth:administrators'))")
                .query((rs, row) -> 1)
                .list();
    }

    long countEnabledAdministrators() {
        return jdbc.sql("""
                        SELECT count(*) FROM auth_users u
                         WHERE u.enabled AND EXISTS (SELECT 1 FROM auth_user_roles r
                                                      WHERE r.user_id = u.id AND r.role = 'ADMIN')
                        """).query(Long.class).single();
    }

    boolean anyAdministrator() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM auth_user_roles WHERE role = 'ADMIN')")
                .query(Boolean.class)
                .single();
    }

    private void touch(UUID id, String actor) {
        jdbc.sql("UPDATE auth_users SET updated_at = now(), updated_by = :actor, version = version + 1 WHERE id = :id")
                .param("id", id)
                .param("actor", actor)
                .update();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @SuppressWarnings("PMD.UnusedFormalParameter") // a RowMapper: the row number is part of its signature
    private static UserAccount map(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("roles");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((Object[]) array.getArray())
                .map(value -> Role.valueOf((String) value))
                .forEach(roles::add);
        long empNo = rs.getLong("emp_no");
        Long employeeNumber = rs.wasNull() ? null : empNo;
        return new UserAccount(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                rs.getString("email"),
                rs.getString("display_name"),
                rs.getString("password_hash"),
                employeeNumber,
                rs.getBoolean("enabled"),
                rs.getInt("failed_attempts"),
                instant(rs, "locked_until"),
                instant(rs, "last_login_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                roles);
    }
}
