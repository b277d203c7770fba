/**
 * Cross-cutting security types every feature may use: the roles, the authenticated caller, the one table of who may
 * call which route ({@link io.employeemgmt.platform.security.AccessRules}) and the RFC 9457 responses for 401 and
 * 403 raised before a controller runs. Authentication itself (tokens, users, sessions) lives in the auth module.
 */
@NamedInterface("security")
@NullMarked
package io.employeemgmt.platform.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
