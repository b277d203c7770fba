package io.employeemgmt.platform;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Health and Kubernetes probe endpoints on the API port. What each one checks is the matching actuator health
 * group in application.yml; this controller only publishes them under {@code /api/v1/health}, answering 503 when
 * the group is not UP so probes and load balancers can act on the status code alone.
 */
@RestController
@RequestMapping("/api/v1/health")
@Tag(name = "Health", description = "Overall health and Kubernetes probes")
class HealthController {

    private final HealthEndpoint health;

    HealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping
    @Operation(summary = "Overall health of the service and its dependencies")
    ResponseEntity<HealthDescriptor> overall() {
        return respond(health.health());
    }

    @GetMapping("/live")
    @Operation(summary = "Liveness probe: the process can serve; never depends on the database or cache")
    ResponseEntity<HealthDescriptor> live() {
        return group("liveness");
    }

    @GetMapping("/ready")
    @Operation(summary = "Readiness probe: started, not draining, database reachable")
    ResponseEntity<HealthDescriptor> ready() {
        return group("readiness");
    }

    @GetMapping("/startup")
    @Operation(summary = "Startup probe: migrations and start-up work have finished")
    ResponseEntity<HealthDescriptor> startup() {
        return group("startup");
    }

    private ResponseEntity<HealthDescriptor> group(String name) {
        return respond(health.healthForPath(name));
    }

    private static ResponseEntity<HealthDescriptor> respond(HealthDescriptor descriptor) {
        HttpStatus status = descriptor != null && Status.UP.equals(descriptor.getStatus())
                ? HttpStatus.OK
                : HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(status).body(descriptor);
    }
}
