package io.employeemgmt.platform;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list. Offset pages carry {@code page} totals; keyset (cursor) pages carry none, because counting a
 * deep result set is exactly the cost cursors avoid. {@code nextCursor} is present whenever more rows follow.
 */
public record PageResponse<T>(
        List<T> content,

        @Schema(description = "Offset paging totals; absent when the request used a cursor")
        PageMetadata page,

        @Schema(description = "Pass as 'cursor' to fetch the rows after this page; absent on the last page")
        String nextCursor) {

    public record PageMetadata(
            int number,
            int size,

            @Schema(description = "Rows matching the filter; absent where the list counts only on request (count=true)")
            Long totalElements,

            @Schema(description = "Absent together with totalElements")
            Long totalPages) {}

    public static <T> PageResponse<T> offset(List<T> content, int page, int size, long total) {
        return new PageResponse<>(content, new PageMetadata(page, size, total, (total + size - 1) / size), null);
    }

    /** An offset page without totals: the caller did not ask for the cost of counting the whole result set. */
    public static <T> PageResponse<T> offset(List<T> content, int page, int size) {
        return new PageResponse<>(content, new PageMetadata(page, size, null, null), null);
    }

    public <R> PageResponse<R> map(Function<T, R> mapper) {
        return new PageResponse<>(content.stream().map(mapper).toList(), page, nextCursor);
    }
}
