package io.employeemgmt.platform.security;

import io.employeemgmt.platform.ProblemWriter;
import io.employeemgmt.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 as problem+json, naming the roles the route requires and the roles the caller has. */
public final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final ProblemWriter problems;

    public ProblemAccessDeniedHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        AccessRules.Rule rule = AccessRules.ruleFor(HttpMethod.valueOf(request.getMethod()), path(request));
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String yours = authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user
                ? user.roles().stream().sorted().map(Role::name).toList().toString()
                : "[]";
        String detail = rule.access() == AccessRules.Access.ROLES
                ? "Access denied: " + request.getMethod() + " " + path(request) + " requires one of the roles "
                        + rule.roleNames() + "; your roles are " + yours
                : "Access denied: your roles " + yours + " do not permit this operation";
        problems.write(request, response, Problems.response(HttpStatus.FORBIDDEN, detail, null));
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}
