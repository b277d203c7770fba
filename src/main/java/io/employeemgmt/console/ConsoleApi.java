package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's way into the service: HTTP to this process's own {@code /api/v1} on the loopback interface, with the
 * signed-in user's access token. The API therefore applies its route table, row-level rules, field filtering and
 * validation to every console page. The browser's address and user agent travel as {@code X-Forwarded-For} and
 * {@code User-Agent} (the server trusts forwarded headers from loopback), so the audit trail records the person's
 * client, not the console; the request id is passed on so both requests share it in the logs.
 *
 * <p>An access token about to expire is refreshed first; refreshes of one session are serialised on the
 * {@link ConsoleSession} because a refresh token is single use and presenting a used one ends the session.
 */
@Component
class ConsoleApi {

    private static final String API = "/api/v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REFRESH_AHEAD = Duration.ofSeconds(30);

    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private volatile int port = -1;

    ConsoleApi(JsonMapper json) {
        // Money stays exact on its way to the pages: decimals are read as BigDecimal, never as double.
        this.json = json.rebuild()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    @EventListener
    void serverStarted(WebServerInitializedEvent event) {
        // The management server (its own port) starts a second web server; the API is on the main one.
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    /** POST /auth/login; no session yet. */
    ApiReply login(String username, String password) {
        return exchange(
                "POST", API + "/auth/login", null, json(Map.of("username", username, "password", password)), null);
    }

    ApiReply get(ConsoleSession session, String path, Map<String, ?> query) {
        return call(session, "GET", path + queryString(query), null, null);
    }

    ApiReply get(ConsoleSession session, String path) {
        return call(session, "GET", path, null, null);
    }

    /** A JSON request; {@code ifMatch} is sent as If-Match when present. */
    ApiReply send(ConsoleSession session, String method, String path, @Nullable Object body, @Nullable String ifMatch) {
        return call(session, method, path, body == null ? null : json(body), ifMatch);
    }

    ApiReply sendText(ConsoleSession session, String method, String path, String contentType, String body) {
        return call(session, method, path, new Body(contentType, body), null);
    }

    /** A streamed GET (the CSV export), after the same token handling. */
    HttpResponse<InputStream> stream(ConsoleSession session, String path, Map<String, ?> query) {
        freshToken(session);
        HttpRequest request = builder(API + path + queryString(query), session.accessToken())
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 401) {
                response.body().close();
                throw new SignedOut();
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ends the API session (refresh token and this access token); the console session is invalidated by the caller. */
    void logout(ConsoleSession session) {
        exchange("POST", API + "/auth/logout", session.accessToken(), null, null);
    }

    private record Body(String contentType, String text) {}

    private ApiReply call(
            ConsoleSession session, String method, String path, @Nullable Body body, @Nullable String ifMatch) {
        String token = freshToken(session);
        ApiReply reply = exchange(method, API + path, token, body, ifMatch);
        if (reply.status() == 401) {
            // Revoked or expired early (e.g. the roles changed): one refresh, then give up.
            token = refresh(session, token);
            reply = exchange(method, API + path, token, body, ifMatch);
            if (reply.status() == 401) {
                throw new SignedOut();
            }
        }
        return reply;
    }

    private String freshToken(ConsoleSession session) {
        String token = session.accessToken();
        if (Instant.now().plus(REFRESH_AHEAD).isAfter(session.accessExpiresAt())) {
            return refresh(session, token);
        }
        return token;
    }

    /** Exchanges the refresh token unless another request of this session already did. */
    private String refresh(ConsoleSession session, String staleToken) {
        synchronized (session) {
            if (!session.accessToken().equals(staleToken)) {
                return session.accessToken();
            }
            ApiReply reply = exchange(
                    "POST", API + "/auth/refresh", null, json(Map.of("refreshToken", session.refreshToken())), null);
            if (!reply.ok()) {
                throw new SignedOut();
            }
            JsonNode tokens = reply.tree();
            session.refreshed(
                    tokens.get("accessToken").asString(),
                    tokens.get("refreshToken").asString(),
                    Instant.now().plusSeconds(tokens.get("expiresIn").asLong()));
            return session.accessToken();
        }
    }

    private Body json(Object body) {
        return new Body("application/json", json.writeValueAsString(body));
    }

    private ApiReply exchange(
            String method, String pathAndQuery, @Nullable String token, @Nullable Body body, @Nullable String ifMatch) {
        HttpRequest.Builder request = builder(pathAndQuery, token);
        if (body != null) {
            request.header(HttpHeaders.CONTENT_TYPE, body.contentType());
        }
        if (ifMatch != null) {
            request.header(HttpHeaders.IF_MATCH, ifMatch);
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.text(), StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiReply(
                    response.statusCode(),
                    response.headers().firstValue(HttpHeaders.ETAG).orElse(null),
                    response.body(),
                    json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder builder(String pathAndQuery, @Nullable String token) {
        if (port < 0) {
            throw new IllegalStateException("The web server has not started yet");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(TIMEOUT)
                .header(HttpHeaders.ACCEPT, "application/json, application/problem+json, text/csv");
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest browser = attributes.getRequest();
            request.header("X-Forwarded-For", browser.getRemoteAddr());
            String agent = browser.getHeader(HttpHeaders.USER_AGENT);
            if (agent != null) {
                request.header(HttpHeaders.USER_AGENT, agent);
            }
        }
        String requestId = MDC.get("requestId");
        if (requestId != null) {
            request.header("X-Request-ID", requestId);
        }
        return request;
    }

    /** {@code ?a=1&b=2} from the non-empty values of {@code query}. */
    static String queryString(Map<String, ?> query) {
        StringJoiner joined = new StringJoiner("&", "?", "");
        joined.setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null && !value.toString().isBlank()) {
                joined.add(encode(name) + "=" + encode(value.toString()));
            }
        });
        return joined.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
