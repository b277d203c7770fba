package io.employeemgmt.platform.observability;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires the request id, response time, access log and user id into the API's servlet pipeline. */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration implements WebMvcConfigurer {

    /**
     * Boot registers Spring's ServerHttpObservationFilter at {@code HIGHEST_PRECEDENCE + 1}; running right after it
     * puts the trace id in the MDC for our lines while staying ahead of every other filter (security included), so
     * their log lines carry the request id and rejected requests still get an access-log line.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    private final CurrentUser currentUser = new CurrentUser(ObservabilityConfiguration.class.getClassLoader());

    @Bean
    FilterRegistrationBean<RequestObservabilityFilter> requestObservabilityFilter() {
        FilterRegistrationBean<RequestObservabilityFilter> registration =
                new FilterRegistrationBean<>(new RequestObservabilityFilter());
        registration.setOrder(ORDER);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new UserIdInterceptor(currentUser));
    }
}
