package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.util.UriUtils;

/**
 * The console's own security filter chain, separate from the API's stateless bearer-token chain: a server-side
 * session (cookie {@code console-session}: HttpOnly, SameSite=Lax, path /console, Secure on HTTPS) holding the API
 * tokens, CSRF tokens on every form post, and a strict Content-Security-Policy (scripts and styles only from this
 * origin, nothing inline, no framing). The chain decides only "signed in or not"; what a user may see or do is
 * decided by the API, which every page calls with the user's token.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurityConfiguration.class);

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/console/**", "/webjars/**")
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers("/console/login", "/console/assets/**", "/webjars/**")
                                .permitAll()
                                .anyRequest()
                                .authenticated())
                // The session holds the API tokens; the security context is read from it on every request.
                .securityContext(context -> context.securityContextRepository(new SignedInUsers()))
                // Sign-in replaces the session itself (new id, new CSRF token: SignInController).
                .sessionManagement(AbstractHttpConfigurer::disable)
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(signInFirst()).accessDeniedHandler(staleForm()))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /** Not signed in: to the sign-in page, which returns here afterwards (htmx requests get HX-Redirect). */
    private static AuthenticationEntryPoint signInFirst() {
        return (request, response, exception) -> {
            String back = "GET".equals(request.getMethod())
                    ? request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                    : Drafts.keep(request).orElse("/console");
            boolean expired = request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
            redirect(request, response, signInUrl(back, expired));
        };
    }

    /**
     * A form post without a valid CSRF token. When the session behind it has expired, what was typed is kept and the
     * person signs in again; otherwise the form was stale or forged and gets a 403 page.
     */
    private static AccessDeniedHandler staleForm() {
        return (request, response, exception) -> {
            if (exception instanceof CsrfException && signedIn(request.getSession(false)) == null) {
                String back = Drafts.keep(request).orElse("/console");
                redirect(request, response, signInUrl(back, true));
                return;
            }
            log.warn(
                    "Console request {} {} refused: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    exception.toString());
            // A signed-in user with a stale form (e.g. a tab from before the last sign-in): say what to do.
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter()
                    .write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Form expired"
                            + " · employee-mgmt</title><link rel=\"stylesheet\" href=\"/console/assets/console.css\">"
                            + "</head><body><main id=\"main\" class=\"card narrow\"><h1>This form has expired</h1>"
                            + "<p>It was opened before your last sign-in, so it was not sent. Nothing was changed.</p>"
                            + "<p><a href=\"/console/employees\">Back to the directory</a></p></main></body></html>");
        };
    }

    static String signInUrl(String back, boolean expired) {
        return "/console/login?" + (expired ? "expired&" : "") + "continue="
                + UriUtils.encodeQueryParam(back, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void redirect(HttpServletRequest request, HttpServletResponse response, String url)
            throws IOException {
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Redirect", url);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        response.sendRedirect(url);
    }

    static @Nullable ConsoleSession signedIn(@Nullable HttpSession session) {
        return session == null ? null : (ConsoleSession) session.getAttribute(ConsoleSession.ATTRIBUTE);
    }

    /**
     * The security context of a console request: the signed-in user of its session, read-only (sign-in and sign-out
     * change the session, never the context). Because the context is "contained" whenever the session holds a user,
     * Spring Security never takes a request for a fresh sign-in (which would renew the CSRF token under pages that are
     * already open).
     */
    private static final class SignedInUsers implements SecurityContextRepository {

        @Override
        public SecurityContext loadContext(HttpRequestResponseHolder holder) {
            return contextOf(holder.getRequest());
        }

        @Override
        public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
            return new DeferredSecurityContext() {
                @Override
                public SecurityContext get() {
                    return contextOf(request);
                }

                @Override
                public boolean isGenerated() {
                    return signedIn(request.getSession(false)) == null;
                }
            };
        }

        @Override
        public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
            // nothing to save: the session's ConsoleSession is the source of truth
        }

        @Override
        public boolean containsContext(HttpServletRequest request) {
            return signedIn(request.getSession(false)) != null;
        }

        private static SecurityContext contextOf(HttpServletRequest request) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            ConsoleSession user = signedIn(request.getSession(false));
            if (user != null) {
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        user.username(),
                        null,
                        user.roles().stream()
                                .map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                                .toList()));
            }
            return context;
        }
    }
}
