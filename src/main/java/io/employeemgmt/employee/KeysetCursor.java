package io.employeemgmt.employee;

import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.SortOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position after the last row of a page, for keyset paging: the sort it belongs to, the last row's sort value and
 * its employee number (the tie-breaker). Opaque to clients; a cursor from another sort is rejected.
 */
record KeysetCursor(String field, boolean descending, String lastValue, long lastEmpNo) {

    String encode() {
        String raw = field + ":" + (descending ? "d" : "a") + ":" + lastEmpNo + ":" + lastValue;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static KeysetCursor decode(String cursor, SortOrder sort) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 4);
            KeysetCursor decoded = new KeysetCursor(parts[0], "d".equals(parts[1]), parts[3], Long.parseLong(parts[2]));
            if (!decoded.field.equals(sort.field()) || decoded.descending != sort.descending()) {
                throw ApiException.badRequest("cursor", "was issued for another sort order; keep the same 'sort'");
            }
            return decoded;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw ApiException.badRequest("cursor", "is not a cursor returned by this API")
                    .causedBy(e);
        }
    }
}
