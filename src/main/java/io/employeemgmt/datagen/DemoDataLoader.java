package io.employeemgmt.datagen;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Fills an empty database with the deterministic demo data set when {@code employee-mgmt.demo-data.enabled} is on.
 * Runs before the application reports ready, so the startup probe covers it. A database with any employee is left
 * alone: the loader never mixes generated rows into real ones (it checks under a lock, after undoing an earlier
 * load that died half-way).
 */
@Component
@ConditionalOnProperty(name = "employee-mgmt.demo-data.enabled", havingValue = "true")
class DemoDataLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

    private final DataSource dataSource;
    private final DemoDataProperties properties;

    DemoDataLoader(DataSource dataSource, DemoDataProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean loaded = new DemoDataGenerator(properties.seed(), properties.employees(), log::info)
                    .load(connection, dataSource::getConnection, properties.streams());
            if (!loaded) {
                log.info("Demo data skipped: the database already has employees");
            }
        }
    }
}
