package io.employeemgmt.platform;

import org.springframework.stereotype.Component;

/**
 * The one place that knows who is making the current request; audit columns (created_by, updated_by) read it.
 * Until authentication exists every write is attributed to the service itself.
 */
@Component
public class CurrentActor {

    public String name() {
        return "system";
    }
}
