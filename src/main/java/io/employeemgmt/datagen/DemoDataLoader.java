package io.employeemgmt.datagen;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fills an empty database with the deterministic demo data set when {@code employee-mgmt.demo-data.enabled} is on.
 * Runs before the application reports ready, so the startup probe covers it. A database with any employee is left
 * alone: the loader never mixes generated rows into real ones.
 */
@Component
@ConditionalOnProperty(name = "employee-mgmt.demo-data.enabled", havingValue = "true")
class DemoDataLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final DemoDataProperties properties;

    DemoDataLoader(DataSource dataSource, JdbcClient jdbc, DemoDataProperties properties) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        boolean empty = jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM employees)")
                .query(Boolean.class)
                .single();
        if (!empty) {
            log.info("Demo data skipped: the database already has employees");
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            new DemoDataGenerator(properties.seed(), properties.employees(), log::info).load(connection);
        }
    }
}
