package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * What a person had typed into a form when their sign-in expired: kept in the (new) session, shown again in the same
 * form after they sign in. Passwords and the CSRF token are never kept, and only a same-origin form post is kept (a
 * cross-site post must not be able to fill in a form for the victim). Where the form went is taken from the page
 * that sent it ({@code Referer}), which must be a console page.
 */
final class Drafts {

    private static final String ATTRIBUTE = Drafts.class.getName();

    record Draft(String path, Map<String, String> values) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    private Drafts() {}

    /** Keeps the posted fields for the page that posted them; returns that page, to continue there after sign-in. */
    static Optional<String> keep(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !sameOrigin(request)) {
            return Optional.empty();
        }
        Optional<String> page = refererPage(request);
        page.ifPresent(path -> {
            Map<String, String> values = new LinkedHashMap<>();
            request.getParameterMap().forEach((name, given) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.startsWith("_") && !lower.contains("password") && given.length > 0) {
                    values.put(name, given[0]);
                }
            });
            request.getSession(true).setAttribute(ATTRIBUTE, new Draft(path, values));
        });
        return page;
    }

    /** The kept values for {@code path}, removed from the session. */
    static Optional<Map<String, String>> take(HttpServletRequest request, String path) {
        HttpSession session = request.getSession(false);
        if (session == null
                || !(session.getAttribute(ATTRIBUTE) instanceof Draft draft)
                || !draft.path().equals(path)) {
            return Optional.empty();
        }
        session.removeAttribute(ATTRIBUTE);
        return Optional.of(draft.values());
    }

    static @Nullable Draft peek(@Nullable HttpSession session) {
        return session != null && session.getAttribute(ATTRIBUTE) instanceof Draft draft ? draft : null;
    }

    static void put(HttpSession session, @Nullable Draft draft) {
        if (draft != null) {
            session.setAttribute(ATTRIBUTE, draft);
        }
    }

    /** A console path (and query) to return to; anything else (other hosts, {@code //x}) is refused. */
    static Optional<String> safeTarget(@Nullable String target) {
        if (target == null || !target.startsWith("/console") || target.startsWith("//") || target.contains("\\")) {
            return Optional.empty();
        }
        return Optional.of(target);
    }

    private static Optional<String> refererPage(HttpServletRequest request) {
        String referer = request.getHeader(HttpHeaders.REFERER);
        if (referer == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(referer);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return safeTarget(path).filter(p -> !p.startsWith("/console/login"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean sameOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return "same-origin".equals(site);
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return false;
        }
        String self = request.getScheme() + "://" + request.getServerName()
                + (request.getServerPort() == 80 || request.getServerPort() == 443
                        ? ""
                        : ":" + request.getServerPort());
        return origin.equals(self);
    }
}
