package io.employeemgmt.platform;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
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
    ResponseEntity<HealthView> overall() {
        return respond(health.health());
    }

    @GetMapping("/live")
    @Operation(summary = "Liveness probe: the process can serve; never depends on the database or cache")
    ResponseEntity<HealthView> live() {
        return group("liveness");
    }

    @GetMapping("/ready")
    @Operation(summary = "Readiness probe: started, not draining, database reachable")
    ResponseEntity<HealthView> ready() {
        return group("readiness");
    }

    @GetMapping("/startup")
    @Operation(summary = "Startup probe: migrations and start-up work have finished")
    ResponseEntity<HealthView> startup() {
        return group("startup");
    }

    private ResponseEntity<HealthView> group(String name) {
        return respond(health.healthForPath(name));
    }

    /** Status per component only: details such as disk paths or database versions are not for the public. */
    private static ResponseEntity<HealthView> respond(HealthDescriptor descriptor) {
        Status overall = descriptor == null ? Status.UNKNOWN : descriptor.getStatus();
        Map<String, String> components = new TreeMap<>();
        if (descriptor instanceof CompositeHealthDescriptor composite) {
            composite
                    .getComponents()
                    .forEach((name, component) ->
                            components.put(name, component.getStatus().getCode()));
        }
        HttpStatus status = Status.UP.equals(overall) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
        return ResponseEntity.status(status).body(new HealthView(overall.getCode(), components));
    }

    record HealthView(String status, Map<String, String> components) {}
}
