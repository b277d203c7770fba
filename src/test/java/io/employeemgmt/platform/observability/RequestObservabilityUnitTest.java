package io.employeemgmt.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

class RequestObservabilityUnitTest {

    @Test
    void acceptsWellFormedRequestIds() {
        assertThat(RequestIds.acceptOrCreate("3f2a9c1e-0b7d-4e55-9a61-2c7f0e4b8d10"))
                .isEqualTo("3f2a9c1e-0b7d-4e55-9a61-2c7f0e4b8d10");
        assertThat(RequestIds.acceptOrCreate("0123456789abcdef0123456789abcdef"))
                .isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(RequestIds.acceptOrCreate("edge.lb-7:abc_1")).isEqualTo("edge.lb-7:abc_1");
    }

    @Test
    void replacesMissingOrForgeableRequestIds() {
        for (String supplied :
                new String[] {null, "", "with space", "line\nbreak", "{\"json\":1}", "x".repeat(129), "-leading-dash"
                }) {
            String id = RequestIds.acceptOrCreate(supplied);
            assertThat(UUID.fromString(id).toString())
                    .as(String.valueOf(supplied))
                    .isEqualTo(id);
        }
    }

    @Test
    void routeIsTheMatchedPatternOrAFixedName() {
        MockHttpServletRequest matched = new MockHttpServletRequest("GET", "/api/v1/employees/42");
        matched.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/api/v1/employees/{id}");
        assertThat(RequestObservabilityFilter.route(matched, 200)).isEqualTo("/api/v1/employees/{id}");

        MockHttpServletRequest unmatched = new MockHttpServletRequest("GET", "/api/v1/private/jane@example.com");
        assertThat(RequestObservabilityFilter.route(unmatched, 404)).isEqualTo("NOT_FOUND");
        assertThat(RequestObservabilityFilter.route(unmatched, 302)).isEqualTo("REDIRECTION");
        assertThat(RequestObservabilityFilter.route(unmatched, 500)).isEqualTo("UNKNOWN");
    }

    @Test
    void responseTimeHasMillisecondsWithThreeDecimals() {
        assertThat(RequestObservabilityFilter.formatDuration(12_345_678)).isEqualTo("12.346ms");
    }

    @Test
    void noUserWithoutSpringSecurityOrAuthentication() {
        // Without Spring Security on the classpath (or without an authentication) the lookup answers null, not fail.
        assertThat(new CurrentUser(getClass().getClassLoader()).name()).isNull();
    }
}
