package io.employeemgmt.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client against the running test server. The one place tests build requests, so cross-cutting
 * headers (authentication, request ids) are added here and nowhere else.
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String bearerToken;

    public ApiClient(int port) {
        this(port, null);
    }

    /** A client that sends {@code bearerToken} as its Authorization unless a request sets its own. */
    public ApiClient(int port, String bearerToken) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.bearerToken = bearerToken;
    }

    public Response get(String path) {
        return send("GET", path, null, "application/json", Map.of());
    }

    public Response post(String path, Object body) {
        return send("POST", path, body, "application/json", Map.of());
    }

    public Response put(String path, Object body, Map<String, String> headers) {
        return send("PUT", path, body, "application/json", headers);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, "application/json", Map.of());
    }

    /** Sends {@code body} as is when it is a String (raw JSON or anything else), else serialized as JSON. */
    public Response send(String method, String path, Object body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Accept", "application/json, application/problem+json");
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (bearerToken != null && !headers.containsKey("Authorization")) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        headers.forEach(request::header);
        String payload = body == null ? null : body instanceof String raw ? raw : JSON.writeValueAsString(body);
        request.method(
                method,
                payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(HttpResponse<String> raw) {

        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
