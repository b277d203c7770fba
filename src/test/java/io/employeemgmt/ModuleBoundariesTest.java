package io.employeemgmt;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Features talk to each other only through their public API (services and DTO records in the feature's package),
 * never through repositories or other internals, and without dependency cycles.
 */
class ModuleBoundariesTest {

    @Test
    void featuresRespectModuleBoundaries() {
        ApplicationModules.of(EmployeeApiApplication.class).verify();
    }
}
