package io.employeemgmt.audit;

import io.employeemgmt.platform.SqlWhere;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditRepository {

    record NewEvent(
            String actor,
            @Nullable UUID actorUserId,
            String action,
            String entityType,
            @Nullable String entityId,
            @Nullable String beforeJson,
            @Nullable String afterJson,
            @Nullable String requestId,
            @Nullable String clientIp,
            @Nullable String userAgent) {}

    record StoredEvent(
            long id,
            Instant occurredAt,
            String actor,
            @Nullable UUID actorUserId,
            String action,
            String entityType,
            @Nullable String entityId,
            @Nullable String beforeJson,
            @Nullable String afterJson,
            @Nullable String requestId,
            @Nullable String clientIp,
            @Nullable String userAgent) {}

    record Filter(
            @Nullable String entityType,
            @Nullable String entityId,
            @Nullable String actor,
            @Nullable String action,
            @Nullable Instant from,
            @Nullable Instant to) {}

    /** Position after the last row of a page, for keyset paging in the default (newest first) order. */
    record Position(Instant occurredAt, long id) {}

    private static final String COLUMNS = "id, occurred_at, actor, actor_user_id, action, entity_type, entity_id,"
            + " before::text AS before, after::text AS after, request_id, client_ip, user_agent";

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(NewEvent event) {
        jdbc.sql("""
                        INSERT INTO audit_events (actor, actor_user_id, action, entity_type, entity_id, before, after,
                                                  request_id, client_ip, user_agent)
                        VALUES (:actor, :actorUserId, :action, :entityType, :entityId, CAST(:before AS jsonb),
                                CAST(:after AS jsonb), :requestId, :clientIp, :userAgent)
                        """)
                .param("actor", event.actor())
                .param("actorUserId", event.actorUserId())
                .param("action", event.action())
                .param("entityType", event.entityType())
                .param("entityId", event.entityId())
                .param("before", event.beforeJson())
                .param("after", event.afterJson())
                .param("requestId", event.requestId())
                .param("clientIp", event.clientIp())
                .param("userAgent", event.userAgent())
                .update();
    }

    long count(Filter filter) {
        SqlWhere where = where(filter);
        return jdbc.sql("SELECT count(*) FROM audit_events" + where.sql())
                .params(where.params())
                .query(Long.class)
                .single();
    }

    List<StoredEvent> page(Filter filter, boolean ascending, long offset, int limit) {
        SqlWhere where = where(filter);
        String direction = ascending ? "ASC" : "DESC";
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_events" + where.sql() + " ORDER BY occurred_at " + direction
                        + ", id " + direction + " LIMIT :limit OFFSET :offset")
                .params(where.params())
                .param("limit", limit)
                .param("offset", offset)
                .query(AuditRepository::map)
                .list();
    }

    /** Newest first, strictly after {@code after} when given. */
    List<StoredEvent> keysetPage(Filter filter, @Nullable Position after, int limit) {
        SqlWhere where = where(filter);
        if (after != null) {
            where.and("(occurred_at, id) < (:afterTime, :afterId)")
                    .param("afterTime", utc(after.occurredAt()))
                    .param("afterId", after.id());
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_events" + where.sql()
                        + " ORDER BY occurred_at DESC, id DESC LIMIT :limit")
                .params(where.params())
                .param("limit", limit)
                .query(AuditRepository::map)
                .list();
    }

    private static SqlWhere where(Filter filter) {
        return new SqlWhere()
                .andIf(filter.entityType(), "entity_type = :entityType", "entityType")
                .andIf(filter.entityId(), "entity_id = :entityId", "entityId")
                .andIf(filter.actor(), "actor = :actor", "actor")
                .andIf(filter.action(), "action = :action", "action")
                .andIf(filter.from() == null ? null : utc(filter.from()), "occurred_at >= :from", "from")
                .andIf(filter.to() == null ? null : utc(filter.to()), "occurred_at < :to", "to");
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @SuppressWarnings("PMD.UnusedFormalParameter") // a RowMapper: the row number is part of its signature
    private static StoredEvent map(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(
                rs.getLong("id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getObject("actor_user_id", UUID.class),
                rs.getString("action"),
                rs.getString("entity_type"),
                rs.getString("entity_id"),
                rs.getString("before"),
                rs.getString("after"),
                rs.getString("request_id"),
                rs.getString("client_ip"),
                rs.getString("user_agent"));
    }
}
