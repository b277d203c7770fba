package io.employeemgmt.datagen;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code employee-mgmt.demo-data.*}: whether an empty database is filled with generated data at start-up, how many
 * employees, the seed that makes the data identical on every run, and how many COPY streams (connections) load it.
 */
@ConfigurationProperties("employee-mgmt.demo-data")
record DemoDataProperties(boolean enabled, int employees, long seed, int streams) {}
