package io.employeemgmt.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.employeemgmt.support.ApiIntegrationTest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's request observability end to end through the real HTTP stack: request id and response time headers,
 * the structured access-log line (valid JSON with trace and request ids, no secrets), and span export over OTLP to a
 * collector (an in-test receiver) for sampled requests, with the default 10 % sampling for new traces.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "employee-mgmt.security.bootstrap-admin.password=" + ApiIntegrationTest.ADMIN_PASSWORD
        })
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTest {

    private static final OtlpTraceReceiver collector = new OtlpTraceReceiver();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void otlpEndpoint(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", collector::endpoint);
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "200ms");
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Sampler sampler;

    @Test
    void accessLogLineIsJsonWithTraceAndRequestIdsAndNoSecrets(CapturedOutput output) throws Exception {
        String traceId = randomHex(16);
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri("/api/v1/health?password=query-secret-1&token=query-secret-2"))
                        .header("X-Request-ID", "it-request-42")
                        .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                        .header("Authorization", "Bearer header-secret-3")
                        .header("Cookie", "SESSION=cookie-secret-4")
                        .GET());
        send(HttpRequest.newBuilder(uri("/api/v1/no-such-route"))
                .header("X-Request-ID", "it-request-43")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"body-secret-5\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("it-request-42");
        assertThat(response.headers().firstValue("X-Response-Time"))
                .hasValueSatisfying(value -> assertThat(value).matches("\\d+\\.\\d{3}ms"));

        JsonNode access = awaitAccessLine(output, "it-request-42");
        assertThat(access.path("log").path("logger").asString()).isEqualTo("io.employeemgmt.access");
        assertThat(access.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(access.path("message").asString()).matches("GET /api/v1/health 200 \\d+ms");
        assertThat(access.path("http").path("request").path("method").asString())
                .isEqualTo("GET");
        assertThat(access.path("http").path("route").asString()).isEqualTo("/api/v1/health");
        assertThat(access.path("http").path("response").path("status_code").asInt())
                .isEqualTo(200);
        assertThat(access.path("event").path("duration").asLong()).isPositive();
        // The incoming W3C traceparent is continued: the log line carries its trace id.
        assertThat(access.path("traceId").asString()).isEqualTo(traceId);
        assertThat(access.path("spanId").asString()).matches("[0-9a-f]{16}");
        assertThat(access.path("service").path("name").asString()).isEqualTo("employee-api");

        JsonNode rejected = awaitAccessLine(output, "it-request-43");
        assertThat(rejected.path("http").path("response").path("status_code").asInt())
                .isGreaterThanOrEqualTo(400);
        assertThat(rejected.path("http").path("route").asString()).doesNotContain("no-such-route");

        // Every log line is one JSON object; nothing the caller sent as a secret reaches the log.
        for (String line : completeLines(output)) {
            if (line.startsWith("{")) {
                assertThat(json.readTree(line).isObject()).as(line).isTrue();
            }
        }
        assertThat(output.getAll())
                .doesNotContain(
                        "query-secret-1", "query-secret-2", "header-secret-3", "cookie-secret-4", "body-secret-5");
    }

    @Test
    void createsRequestIdWhenMissingOrMalformed() throws Exception {
        HttpResponse<String> missing =
                send(HttpRequest.newBuilder(uri("/api/v1/health/live")).GET());
        HttpResponse<String> malformed = send(HttpRequest.newBuilder(uri("/api/v1/health/live"))
                .header("X-Request-ID", "not acceptable: spaces and {braces}")
                .GET());

        for (HttpResponse<String> response : List.of(missing, malformed)) {
            String id = response.headers().firstValue("X-Request-ID").orElseThrow();
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        }
    }

    @Test
    void sampledRequestIsExportedAsSpansOverOtlpAndUnsampledIsNot() throws Exception {
        String unsampled = randomHex(16);
        String sampled = randomHex(16);
        send(HttpRequest.newBuilder(uri("/api/v1/health"))
                .header("traceparent", "00-" + unsampled + "-" + randomHex(8) + "-00")
                .GET());
        send(HttpRequest.newBuilder(uri("/api/v1/health"))
                .header("traceparent", "00-" + sampled + "-" + randomHex(8) + "-01")
                .GET());

        List<Span> trace = awaitSpans(sampled);
        assertThat(collector.posts()).isPositive();
        assertThat(trace)
                .extracting(Span::getName)
                .as("HTTP server span and the JDBC connection span of the database health check")
                .contains("http get /api/v1/health", "connection");
        assertThat(trace)
                .filteredOn(span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .singleElement()
                .satisfies(server -> assertThat(server.getAttributesList())
                        .anySatisfy(attribute -> assertThat(attribute.getKey()).isEqualTo("http.url")));
        assertThat(collector.spans())
                .as("a request whose traceparent says 'not sampled' is not exported")
                .noneMatch(span -> hex(span.getTraceId().toByteArray()).equals(unsampled));
    }

    @Test
    void newTracesAreSampledAtTenPercentByDefault() {
        assertThat(sampler.getDescription()).contains("TraceIdRatioBased{0.100000}");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitAccessLine(CapturedOutput output, String requestId) {
        return await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> completeLines(output).stream()
                                .filter(line ->
                                        line.startsWith("{") && line.contains("\"requestId\":\"" + requestId + "\""))
                                .map(json::readTree)
                                .filter(node -> "io.employeemgmt.access"
                                        .equals(node.path("log").path("logger").asString()))
                                .findFirst()
                                .orElse(null),
                        node -> node != null);
    }

    @Test
    void cacheCallsToRedisAppearAsSpansOfTheRequest() throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + ApiIntegrationTest.ADMIN
                        + "\",\"password\":\"" + ApiIntegrationTest.ADMIN_PASSWORD + "\"}")));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = json.readTree(login.body()).path("accessToken").asString();
        String traceId = randomHex(16);
        HttpResponse<String> titles = send(HttpRequest.newBuilder(uri("/api/v1/titles"))
                .header("Authorization", "Bearer " + token)
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01")
                .GET());
        assertThat(titles.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(collector.spans())
                        .as("the cache lookup in Redis is a span of the request's trace")
                        .anyMatch(span -> hex(span.getTraceId().toByteArray()).equals(traceId)
                                && span.getAttributesList().stream()
                                        .anyMatch(
                                                attribute -> attribute.getKey().equals("db.system")
                                                        && attribute
                                                                .getValue()
                                                                .getStringValue()
                                                                .equals("redis"))));
    }

    /** Lines already terminated by a newline: another thread may be writing the last one right now. */
    private static List<String> completeLines(CapturedOutput output) {
        String out = output.getOut();
        int end = out.lastIndexOf('\n');
        return end < 0 ? List.of() : out.substring(0, end).lines().toList();
    }

    private static List<Span> awaitSpans(String traceId) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> collector.spans().stream()
                                .filter(span ->
                                        hex(span.getTraceId().toByteArray()).equals(traceId))
                                .toList(),
                        trace -> trace.stream().anyMatch(span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                                && trace.stream()
                                        .anyMatch(span -> span.getName().equals("connection")));
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        new java.security.SecureRandom().nextBytes(value);
        return hex(value);
    }

    private static String hex(byte[] value) {
        return HexFormat.of().formatHex(value);
    }
}
