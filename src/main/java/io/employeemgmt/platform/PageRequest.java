package io.employeemgmt.platform;

import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * Paging query parameters shared by every list endpoint, bound from {@code ?page=&size=&sort=&cursor=}.
 * {@code sort} is {@code field} or {@code field,asc|desc}; each endpoint resolves it against its own allow-list.
 */
public record PageRequest(
        @Parameter(description = "Zero-based page number (offset paging)") @Min(0) @Max(1_000_000)
        Integer page,

        @Parameter(description = "Page size, 1 to 100") @Min(1) @Max(100)
        Integer size,

        @Parameter(description = "Sort as field or field,asc|desc") @Size(max = 64)
        String sort,

        @Parameter(description = "Keyset cursor from a previous page's nextCursor") @Size(max = 512)
        String cursor) {

    public static final int DEFAULT_SIZE = 20;

    public int pageOrZero() {
        return page == null ? 0 : page;
    }

    public int sizeOrDefault() {
        return size == null ? DEFAULT_SIZE : size;
    }

    /** For lists that have no keyset paging: rejects a cursor instead of silently ignoring it. */
    public PageRequest requireOffsetPaging() {
        if (cursor != null) {
            throw ApiException.badRequest("cursor", "this list supports page/size paging only");
        }
        return this;
    }

    public long offset() {
        return (long) pageOrZero() * sizeOrDefault();
    }
}
