/**
 * The web console for HR staff, managers and employees: server-rendered pages under {@code /console} (Thymeleaf,
 * with htmx from a webjar for search-as-you-type), signed in with a server-side session. It is a client of this
 * service's own {@code /api/v1}: every page calls the API over loopback with the signed-in user's access token, so
 * the route table, row-level rules, field filtering, validation messages and ETags are exactly the API's and the
 * console can never show what the API would refuse. No token reaches the browser.
 */
@ApplicationModule(displayName = "Web console")
@NullMarked
package io.employeemgmt.console;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
