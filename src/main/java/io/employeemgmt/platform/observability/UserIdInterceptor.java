package io.employeemgmt.platform.observability;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Puts the authenticated user's name in the MDC ({@code userId}) for the log lines written while the handler runs,
 * and hands it to the access-log line. It runs inside the DispatcherServlet, after every servlet filter including
 * Spring Security's, which is the first point where the authentication is known; lines written by earlier filters
 * carry no user id.
 */
class UserIdInterceptor implements HandlerInterceptor {

    private final CurrentUser currentUser;

    UserIdInterceptor(CurrentUser currentUser) {
        this.currentUser = currentUser;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String name = currentUser.name();
        if (name != null) {
            MDC.put(RequestObservabilityFilter.USER_ID_MDC_KEY, name);
            request.setAttribute(RequestObservabilityFilter.USER_ID_ATTRIBUTE, name);
        }
        return true;
    }

    @Override
    public void afterCompletion(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception exception) {
        MDC.remove(RequestObservabilityFilter.USER_ID_MDC_KEY);
    }
}
