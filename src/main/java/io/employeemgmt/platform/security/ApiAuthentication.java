package io.employeemgmt.platform.security;

import java.util.Comparator;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authentication stored in the security context for a request with a valid access token. The principal is the
 * {@link AuthenticatedUser}; the authorities are its roles as {@code ROLE_*}. The raw token is not kept.
 */
public final class ApiAuthentication extends AbstractAuthenticationToken {

    private final AuthenticatedUser user;

    public ApiAuthentication(AuthenticatedUser user) {
        super(user.roles().stream()
                .sorted(Comparator.naturalOrder())
                .map(role -> new SimpleGrantedAuthority(role.authority()))
                .toList());
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public AuthenticatedUser getPrincipal() {
        return user;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return user.username();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiAuthentication that && user.equals(that.user) && super.equals(other);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }
}
