package io.employeemgmt.platform;

import java.util.List;

/** Names of the caches; every one holds derived read models that any write may change. */
public final class Caches {

    public static final String ANALYTICS = "analytics";
    public static final String TITLES = "titles";
    public static final String DEPARTMENT_STATISTICS = "department-statistics";

    static final List<String> ALL = List.of(ANALYTICS, TITLES, DEPARTMENT_STATISTICS);

    private Caches() {}
}
