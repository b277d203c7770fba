package io.employeemgmt.platform.replica;

import com.zaxxer.hikari.HikariDataSource;

/**
 * One configured standby: its connection pool and what the last check found. Written by {@link ReplicaMonitor}'s
 * thread, read by every request thread.
 */
final class ReplicaEndpoint {

    /** Why a standby is or is not in rotation; the names appear in logs and metrics. */
    enum State {
        /** Not checked yet: reads go elsewhere until the first check. */
        UNKNOWN,
        IN_ROTATION,
        UNREACHABLE,
        LAGGING,
        /** Answers but is not in recovery (promoted, or not a standby at all): its data may have diverged. */
        NOT_STANDBY
    }

    private final String name;
    private final String address;
    private final HikariDataSource pool;
    private volatile State state = State.UNKNOWN;
    private volatile double lagSeconds = Double.NaN;

    ReplicaEndpoint(String name, String address, HikariDataSource pool) {
        this.name = name;
        this.address = address;
        this.pool = pool;
    }

    String name() {
        return name;
    }

    /** host:port of the JDBC URL (never its parameters, which may carry credentials). */
    String address() {
        return address;
    }

    HikariDataSource pool() {
        return pool;
    }

    State state() {
        return state;
    }

    boolean inRotation() {
        return state == State.IN_ROTATION;
    }

    double lagSeconds() {
        return lagSeconds;
    }

    /** Records a check's outcome and returns the previous state. */
    State update(State newState, double newLagSeconds) {
        State previous = state;
        lagSeconds = newLagSeconds;
        state = newState;
        return previous;
    }
}
