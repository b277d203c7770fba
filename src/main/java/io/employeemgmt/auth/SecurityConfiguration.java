package io.employeemgmt.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import io.employeemgmt.platform.ProblemWriter;
import io.employeemgmt.platform.security.AccessRules;
import io.employeemgmt.platform.security.ApiAuthentication;
import io.employeemgmt.platform.security.AuthenticatedUser;
import io.employeemgmt.platform.security.ProblemAccessDeniedHandler;
import io.employeemgmt.platform.security.ProblemAuthenticationEntryPoint;
import io.employeemgmt.platform.security.Role;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The security filter chain for {@code /api/v1/**}: stateless bearer-token authentication by Spring Security's
 * OAuth2 resource server (Nimbus verifies ES256 or RS256 signatures), authorization from {@link AccessRules}, and
 * problem+json for every 401/403. Paths outside {@code /api/v1} (the management port's /metrics, /health) are not
 * matched by this chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SecurityConfiguration {

    @Bean
    JwtKeys jwtKeys(SecurityProperties properties) {
        return JwtKeys.from(properties.jwt());
    }

    @Bean
    JwtEncoder jwtEncoder(JwtKeys keys) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(keys.signingKey())));
    }

    @Bean
    JwtDecoder jwtDecoder(
            JwtKeys keys,
            SecurityProperties properties,
            SessionService sessions,
            RevocationFeed feed,
            MeterRegistry registry) {
        feed.registerMetrics(registry);
        return decoder(keys, properties.jwt(), sessions::isRevoked, feed);
    }

    /** The decoder with every revocation check going to {@code revocation} (no feed: nothing is cached). */
    static JwtDecoder decoder(
            JwtKeys keys, SecurityProperties.Jwt config, AccessTokenDecoder.RevocationCheck revocation) {
        return decoder(keys, config, revocation, RevocationFeed.DISCONNECTED);
    }

    /**
     * Nimbus verifies the signature with the configured keys and only their algorithms (so "none" and HMAC never
     * pass), requires the header typ at+jwt, then {@link AccessTokenValidator} checks the claims;
     * {@link AccessTokenDecoder} caches verified tokens and checks revocation.
     */
    static JwtDecoder decoder(
            JwtKeys keys,
            SecurityProperties.Jwt config,
            AccessTokenDecoder.RevocationCheck revocation,
            RevocationFeed feed) {
        return new AccessTokenDecoder(verifier(keys, config), revocation, feed, config.clockSkew(), VERIFIED_TOKENS);
    }

    /** Verified tokens kept in memory per instance (a few hundred bytes each). */
    private static final long VERIFIED_TOKENS = 20_000;

    private static NimbusJwtDecoder verifier(JwtKeys keys, SecurityProperties.Jwt config) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(keys.verificationKeys()))
                .jwsAlgorithms(algorithms -> {
                    algorithms.clear();
                    keys.acceptedAlgorithms()
                            .forEach(algorithm -> algorithms.add(SignatureAlgorithm.from(algorithm.getName())));
                })
                .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(AccessTokens.TYPE))))
                .build();
        decoder.setJwtValidator(new AccessTokenValidator(config));
        return decoder;
    }

    @Bean
    PasswordEncoder passwordEncoder(SecurityProperties properties) {
        String id = "bcrypt";
        return new DelegatingPasswordEncoder(
                id, Map.of(id, new BCryptPasswordEncoder(properties.password().bcryptStrength())));
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, ProblemWriter problems) throws Exception {
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(problems);
        ProblemAccessDeniedHandler deniedHandler = new ProblemAccessDeniedHandler(problems);
        http.securityMatcher("/api/v1/**")
                .authorizeHttpRequests(SecurityConfiguration::applyAccessRules)
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(bearerTokenResolver())
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler)
                        .withObjectPostProcessor(answerServiceFailures(entryPoint))
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new AccessTokenConverter())))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * A token that cannot be checked (the revocation state is in the database, and the database is down) goes to
     * the entry point (503 problem+json) too; by default the bearer filter rethrows such failures, which then escape
     * the filter chain as a 500.
     */
    private static ObjectPostProcessor<BearerTokenAuthenticationFilter> answerServiceFailures(
            ProblemAuthenticationEntryPoint entryPoint) {
        return new ObjectPostProcessor<>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                AuthenticationEntryPointFailureHandler failures =
                        new AuthenticationEntryPointFailureHandler(entryPoint);
                failures.setRethrowAuthenticationServiceException(false);
                filter.setAuthenticationFailureHandler(failures);
                return filter;
            }
        };
    }

    private static void applyAccessRules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry registry) {
        for (AccessRules.Rule rule : AccessRules.rules()) {
            var matcher = PathPatternRequestMatcher.withDefaults().matcher(rule.method(), rule.pattern());
            switch (rule.access()) {
                case PUBLIC -> registry.requestMatchers(matcher).permitAll();
                case AUTHENTICATED -> registry.requestMatchers(matcher).authenticated();
                case ROLES ->
                    registry.requestMatchers(matcher)
                            .hasAnyRole(rule.roleNames().toArray(String[]::new));
            }
        }
        registry.anyRequest().authenticated();
    }

    /** Reads the bearer token, except on public routes: a stale token must not break login or the probes. */
    private static BearerTokenResolver bearerTokenResolver() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> {
            String path =
                    request.getRequestURI().substring(request.getContextPath().length());
            AccessRules.Rule rule = AccessRules.ruleFor(HttpMethod.valueOf(request.getMethod()), path);
            return rule.access() == AccessRules.Access.PUBLIC ? null : standard.resolve(request);
        };
    }

    /** Builds the request's {@link AuthenticatedUser} from a validated access token. */
    static final class AccessTokenConverter implements Converter<Jwt, ApiAuthentication> {

        @Override
        public ApiAuthentication convert(Jwt jwt) {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            List<String> names = jwt.getClaimAsStringList(AccessTokens.ROLES);
            names.forEach(name -> roles.add(Role.valueOf(name)));
            Object employee = jwt.getClaim(AccessTokens.EMPLOYEE_NUMBER);
            return new ApiAuthentication(new AuthenticatedUser(
                    UUID.fromString(jwt.getSubject()),
                    jwt.getClaimAsString(AccessTokens.USERNAME),
                    roles,
                    employee instanceof Number number ? number.longValue() : null,
                    UUID.fromString(jwt.getClaimAsString(AccessTokens.SESSION)),
                    jwt.getId(),
                    jwt.getExpiresAt()));
        }
    }
}
