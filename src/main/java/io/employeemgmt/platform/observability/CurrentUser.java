package io.employeemgmt.platform.observability;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Reads the authenticated user's name from Spring Security's {@code SecurityContextHolder} when Spring Security is
 * on the classpath. Observability must not depend on the security module at compile time, so the lookup goes
 * through method handles resolved once at start-up; without Spring Security every lookup answers {@code null}.
 */
final class CurrentUser {

    private static final String HOLDER = "org.springframework.security.core.context.SecurityContextHolder";
    private static final String ANONYMOUS = "org.springframework.security.authentication.AnonymousAuthenticationToken";

    private final @Nullable MethodHandle getContext;
    private final @Nullable MethodHandle getAuthentication;
    private final @Nullable MethodHandle isAuthenticated;
    private final @Nullable MethodHandle getName;

    CurrentUser(ClassLoader classLoader) {
        MethodHandle context = null;
        MethodHandle authentication = null;
        MethodHandle authenticated = null;
        MethodHandle name = null;
        if (ClassUtils.isPresent(HOLDER, classLoader)) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> holder = ClassUtils.forName(HOLDER, classLoader);
                Class<?> securityContext =
                        ClassUtils.forName("org.springframework.security.core.context.SecurityContext", classLoader);
                Class<?> authenticationType =
                        ClassUtils.forName("org.springframework.security.core.Authentication", classLoader);
                context = lookup.findStatic(holder, "getContext", MethodType.methodType(securityContext));
                authentication = lookup.findVirtual(
                        securityContext, "getAuthentication", MethodType.methodType(authenticationType));
                authenticated =
                        lookup.findVirtual(authenticationType, "isAuthenticated", MethodType.methodType(boolean.class));
                name = lookup.findVirtual(authenticationType, "getName", MethodType.methodType(String.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("Spring Security is present but its API did not resolve", e);
            }
        }
        this.getContext = context;
        this.getAuthentication = authentication;
        this.isAuthenticated = authenticated;
        this.getName = name;
    }

    /** The authenticated principal's name, or {@code null} when anonymous or Spring Security is absent. */
    @Nullable
    String name() {
        if (getContext == null) {
            return null;
        }
        try {
            Object context = getContext.invoke();
            Object authentication = context == null ? null : getAuthentication.invoke(context);
            if (authentication == null
                    || ANONYMOUS.equals(authentication.getClass().getName())
                    || !(boolean) isAuthenticated.invoke(authentication)) {
                return null;
            }
            return (String) getName.invoke(authentication);
            // MethodHandle.invoke declares Throwable: unchecked ones pass through, checked ones are wrapped.
        } catch (RuntimeException | Error e) { // NOPMD - AvoidCatchingGenericException, see above
            throw e;
        } catch (Throwable e) { // NOPMD - AvoidCatchingGenericException, see above
            throw new IllegalStateException("Could not read the authenticated user", e);
        }
    }
}
