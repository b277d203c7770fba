package io.employeemgmt.platform.observability;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The request id of the current request: taken from the caller's {@code X-Request-ID} when it is well formed,
 * otherwise generated, echoed in the response and present in every log line (MDC key {@code requestId}) for the
 * request. Audit rows read it with {@link #current()}.
 */
public final class RequestIds {

    /** Request and response header carrying the id. */
    public static final String HEADER = "X-Request-ID";

    /** MDC key under which every log line of the request carries the id. */
    public static final String MDC_KEY = "requestId";

    /**
     * Accepted caller-supplied ids: UUIDs, ingress-nginx's 32 hex digits and similar tokens. Anything else (too long,
     * spaces, control characters that could forge log lines) is replaced by a fresh id.
     */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private RequestIds() {}

    /** The id of the request being served on this thread, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }

    /** The caller's id when acceptable, otherwise a new random UUID. */
    static String acceptOrCreate(String supplied) {
        if (supplied != null && ACCEPTED.matcher(supplied).matches()) {
            return supplied;
        }
        return UUID.randomUUID().toString();
    }
}
