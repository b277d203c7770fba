package io.employeemgmt.audit;

import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The audit trail of changes, logins and role changes (ADMIN)")
class AuditController {

    private static final Map<String, String> SORTS = Map.of("occurredAt", "occurred_at");

    private final AuditRepository repository;
    private final JsonMapper json;

    AuditController(AuditRepository repository, JsonMapper json) {
        this.repository = repository;
        this.json = json;
    }

    @GetMapping
    @Operation(
            summary = "Search the audit trail",
            description = "Newest first by default. Offset paging with page/size (totals included), or keyset"
                    + " paging with cursor (pass the previous page's nextCursor; newest-first order only).")
    PageResponse<AuditEvent> search(
            @Parameter(description = "Entity type, e.g. USER or EMPLOYEE")
                    @RequestParam(required = false)
                    @Size(max = 64)
                    String entityType,
            @Parameter(description = "Entity id, e.g. 10001") @RequestParam(required = false) @Size(max = 100)
                    String entityId,
            @Parameter(description = "Username of the actor") @RequestParam(required = false) @Size(max = 100)
                    String actor,
            @Parameter(description = "Action, e.g. LOGIN_FAILED") @RequestParam(required = false) @Size(max = 64)
                    String action,
            @Parameter(description = "Earliest time, inclusive (ISO-8601)") @RequestParam(required = false)
                    Instant from,
            @Parameter(description = "Latest time, exclusive (ISO-8601)") @RequestParam(required = false) Instant to,
            @Valid @ParameterObject PageRequest page) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("to", "must be after 'from'");
        }
        AuditRepository.Filter filter = new AuditRepository.Filter(entityType, entityId, actor, action, from, to);
        SortOrder sort = SortOrder.parse(page.sort(), SORTS, "occurredAt");
        boolean ascending = page.sort() != null && !page.sort().isBlank() && !sort.descending();
        int size = page.sizeOrDefault();
        if (page.cursor() != null && !page.cursor().isBlank()) {
            if (ascending) {
                throw ApiException.badRequest("cursor", "keyset paging supports only the newest-first order");
            }
            return keyset(filter, decode(page.cursor()), size);
        }
        List<AuditRepository.StoredEvent> rows = repository.page(filter, ascending, page.offset(), size);
        long total = repository.count(filter);
        PageResponse<AuditEvent> result =
                PageResponse.offset(rows.stream().map(this::toEvent).toList(), page.pageOrZero(), size, total);
        if (ascending || rows.isEmpty() || page.offset() + rows.size() >= total) {
            return result;
        }
        // In the default order an offset page also offers the cursor of its last row, to continue by keyset.
        AuditRepository.StoredEvent last = rows.getLast();
        return new PageResponse<>(
                result.content(), result.page(), encode(new AuditRepository.Position(last.occurredAt(), last.id())));
    }

    private PageResponse<AuditEvent> keyset(AuditRepository.Filter filter, AuditRepository.Position after, int size) {
        List<AuditRepository.StoredEvent> rows = repository.keysetPage(filter, after, size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            AuditRepository.StoredEvent last = rows.getLast();
            next = encode(new AuditRepository.Position(last.occurredAt(), last.id()));
        }
        return new PageResponse<>(rows.stream().map(this::toEvent).toList(), null, next);
    }

    private AuditEvent toEvent(AuditRepository.StoredEvent row) {
        return new AuditEvent(
                row.id(),
                row.occurredAt(),
                row.actor(),
                row.actorUserId(),
                row.action(),
                row.entityType(),
                row.entityId(),
                parse(row.beforeJson()),
                parse(row.afterJson()),
                row.requestId(),
                row.clientIp(),
                row.userAgent());
    }

    private @Nullable JsonNode parse(@Nullable String value) {
        return value == null ? null : json.readTree(value);
    }

    static String encode(AuditRepository.Position position) {
        Instant at = position.occurredAt();
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        String plain = "a1:" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static AuditRepository.Position decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split(":", -1);
            if (parts.length != 3 || !"a1".equals(parts[0])) {
                throw new IllegalArgumentException(plain);
            }
            long micros = Long.parseLong(parts[1]);
            Instant at = Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new AuditRepository.Position(at, Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor returned by this endpoint")
                    .causedBy(e);
        }
    }
}
