package io.employeemgmt.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.ClassUtils;

/**
 * The user id in the MDC, against the real Spring Security API. Observability does not depend on Spring Security at
 * compile time, so this test drives it reflectively and runs as soon as Spring Security is on the test classpath
 * (the security feature brings it); until then it is reported as skipped.
 */
@EnabledIf("springSecurityPresent")
class CurrentUserWithSpringSecurityTest {

    private static final ClassLoader loader = CurrentUserWithSpringSecurityTest.class.getClassLoader();

    static boolean springSecurityPresent() {
        return ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", loader);
    }

    @AfterEach
    void clear() throws Exception {
        holder().getMethod("clearContext").invoke(null);
        MDC.clear();
    }

    @Test
    void authenticatedUserNameGoesToTheMdcAndTheAccessLogAttribute() throws Exception {
        Class<?> token =
                Class.forName("org.springframework.security.authentication.UsernamePasswordAuthenticationToken");
        Object authentication = token.getMethod("authenticated", Object.class, Object.class, Collection.class)
                .invoke(null, "alice", null, List.of());
        setAuthentication(authentication);

        assertThat(new CurrentUser(loader).name()).isEqualTo("alice");

        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/employees");
        UserIdInterceptor interceptor = new UserIdInterceptor(new CurrentUser(loader));
        interceptor.preHandle(request, new MockHttpServletResponse(), new Object());
        assertThat(MDC.get(RequestObservabilityFilter.USER_ID_MDC_KEY)).isEqualTo("alice");
        assertThat(request.getAttribute(RequestObservabilityFilter.USER_ID_ATTRIBUTE))
                .isEqualTo("alice");
        interceptor.afterCompletion(request, new MockHttpServletResponse(), new Object(), null);
        assertThat(MDC.get(RequestObservabilityFilter.USER_ID_MDC_KEY)).isNull();
    }

    @Test
    void anonymousAndUnauthenticatedRequestsHaveNoUser() throws Exception {
        Class<?> authority = Class.forName("org.springframework.security.core.authority.SimpleGrantedAuthority");
        Object anonymousRole = authority.getConstructor(String.class).newInstance("ROLE_ANONYMOUS");
        Class<?> anonymous = Class.forName("org.springframework.security.authentication.AnonymousAuthenticationToken");
        setAuthentication(anonymous
                .getConstructor(String.class, Object.class, Collection.class)
                .newInstance("key", "anonymousUser", List.of(anonymousRole)));
        assertThat(new CurrentUser(loader).name()).isNull();

        Class<?> token =
                Class.forName("org.springframework.security.authentication.UsernamePasswordAuthenticationToken");
        setAuthentication(token.getMethod("unauthenticated", Object.class, Object.class)
                .invoke(null, "mallory", "wrong-password"));
        assertThat(new CurrentUser(loader).name()).isNull();
    }

    private static Class<?> holder() throws ClassNotFoundException {
        return Class.forName("org.springframework.security.core.context.SecurityContextHolder");
    }

    private static void setAuthentication(Object authentication) throws Exception {
        Object context = holder().getMethod("getContext").invoke(null);
        Class<?> authenticationType = Class.forName("org.springframework.security.core.Authentication");
        Class.forName("org.springframework.security.core.context.SecurityContext")
                .getMethod("setAuthentication", authenticationType)
                .invoke(context, authentication);
    }
}
