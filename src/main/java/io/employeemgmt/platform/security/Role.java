package io.employeemgmt.platform.security;

/**
 * The roles a user can hold. ADMIN may do everything; the others are described in {@link AccessRules} (route level)
 * and enforced row by row by the feature services (own department, own record, private fields).
 */
public enum Role {
    ADMIN,
    HR_MANAGER,
    MANAGER,
    EMPLOYEE;

    /** The Spring Security authority for this role ({@code ROLE_ADMIN}, ...). */
    public String authority() {
        return "ROLE_" + name();
    }
}
