package io.employeemgmt.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP to the application under test on 127.0.0.1, with the bearer token chosen per call (the security tests
 * send forged, expired and revoked tokens); never throws for an error status.
 */
public final class TokenApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** One response: status, headers, raw body and the body as JSON (null when empty or not JSON). */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        public @Nullable String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** A text member of the JSON body. */
        public String text(String field) {
            JsonNode node = json().get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public TokenApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response get(String path, @Nullable String token) {
        return send("GET", path, null, token);
    }

    /** GET with extra request headers (e.g. the read-your-writes position a client sends back). */
    public Response get(String path, @Nullable String token, Map<String, String> headers) {
        return send("GET", path, null, token, "application/json, application/problem+json", headers);
    }

    /** GET accepting plain text (the Prometheus exposition format on the management port). */
    public Response getText(String path) {
        return send("GET", path, null, null, "text/plain");
    }

    public Response post(String path, @Nullable Object body, @Nullable String token) {
        return send("POST", path, body, token);
    }

    public Response put(String path, @Nullable Object body, @Nullable String token) {
        return send("PUT", path, body, token);
    }

    /** {@code body}: null for none, a String sent as is, anything else serialised as JSON. */
    public Response send(String method, String path, @Nullable Object body, @Nullable String token) {
        return send(method, path, body, token, "application/json, application/problem+json");
    }

    /** A merge patch of the version the caller currently sees: GET for the ETag, then PATCH with If-Match. */
    public Response patchCurrentVersion(String path, Object body, @Nullable String token) {
        Response current = get(path, token);
        String etag = current.header("ETag");
        return send(
                "PATCH",
                path,
                body,
                token,
                "application/json, application/problem+json",
                etag == null ? Map.of() : Map.of("If-Match", etag));
    }

    private Response send(String method, String path, @Nullable Object body, @Nullable String token, String accept) {
        return send(method, path, body, token, accept, Map.of());
    }

    private Response send(
            String method,
            String path,
            @Nullable Object body,
            @Nullable String token,
            String accept,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", "employee-api-tests")
                .header("Accept", accept);
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
