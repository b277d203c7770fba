package io.employeemgmt.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A full application on a random port against the embedded PostgreSQL 16 (or the external server CI names, see
 * {@link EmbeddedPostgresLauncher}), seeded with the demo data (1,000 employees, fixed seed). Every integration test uses exactly these properties so they share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "employee-mgmt.demo-data.enabled=true",
            // The same first administrator as ApiIntegrationTest: all contexts of a run share one database.
            "employee-mgmt.security.bootstrap-admin.password=" + ApiIntegrationTest.ADMIN_PASSWORD
        })
public @interface IntegrationTest {}
