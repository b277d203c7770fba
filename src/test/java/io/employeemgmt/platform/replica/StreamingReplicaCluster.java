package io.employeemgmt.platform.replica;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * A real PostgreSQL 15 primary with hot standbys made by {@code pg_basebackup -R} (streaming replication), from
 * Debian's server binaries, in a temporary directory under target/. Ports come from the kernel. Run as the
 * {@code postgres} user when the tests run as root (initdb refuses root). {@link #close()} stops every server by
 * the PID in its postmaster.pid and deletes the directory.
 *
 * <p>Without the binaries the test is skipped on a workstation but fails under CI ({@code CI=true}): the CI
 * script installs them ({@code apt-get install -y postgresql-15}).
 */
final class StreamingReplicaCluster implements AutoCloseable {

    static final Path BIN = Path.of(System.getenv().getOrDefault("PG15_BIN", "/usr/lib/postgresql/15/bin"));

    /** One server of the cluster. */
    record Server(String name, Path dataDirectory, int port) {

        String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }
    }

    private final Path directory;
    private final boolean asPostgresUser;
    private final List<Server> running = new ArrayList<>();
    private final Server primary;
    private final List<Server> standbys = new ArrayList<>();

    private StreamingReplicaCluster(Path directory, int standbyCount) throws IOException, InterruptedException {
        this.directory = directory;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        // A JVM ended before the test's teardown (Ctrl-C, a build timeout's SIGTERM) still stops the servers.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "stop-streaming-replica-cluster"));
        Files.createDirectories(directory);
        if (asPostgresUser) {
            run(false, "chown", "postgres:postgres", directory.toString());
        }
        primary = new Server("primary", directory.resolve("primary"), freePort());
        run(
                asPostgresUser,
                BIN.resolve("initdb").toString(),
                "-D",
                primary.dataDirectory().toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-locale",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions");
        appendConfig(
                primary,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "max_connections = 200",
                "shared_buffers = 32MB",
                "fsync = off",
                "full_page_writes = off",
                "wal_level = replica",
                "max_wal_senders = 10",
                "wal_keep_size = 256MB");
        start(primary);
        for (int i = 1; i <= standbyCount; i++) {
            Server standby = new Server("standby-" + i, directory.resolve("standby-" + i), freePort());
            run(
                    asPostgresUser,
                    BIN.resolve("pg_basebackup").toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(primary.port()),
                    "-U",
                    "postgres",
                    "-D",
                    standby.dataDirectory().toString(),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                    "--no-sync");
            appendConfig(standby, "hot_standby = on");
            start(standby);
            standbys.add(standby);
        }
    }

    /** Starts a primary and {@code standbyCount} standbys in {@code directory}; see the class comment on absence. */
    static StreamingReplicaCluster start(Path directory, int standbyCount) {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            String message = "PostgreSQL 15 server binaries not found in " + BIN
                    + " (Debian: apt-get install -y postgresql-15); the read replica tests need them";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            throw new TestAbortedException(message);
        }
        try {
            return new StreamingReplicaCluster(directory, standbyCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Server primary() {
        return primary;
    }

    Server standby(int number) {
        return standbys.get(number - 1);
    }

    void execute(Server server, String sql) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(server.name() + ": " + sql, e);
        }
    }

    long count(Server server, String sql) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
                Statement statement = connection.createStatement();
                var row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(server.name() + ": " + sql, e);
        }
    }

    /** Fast shutdown (SIGINT to the postmaster's PID), waiting for the process to end. */
    synchronized void stop(Server server) {
        Path pidFile = server.dataDirectory().resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            var process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                return;
            }
            run(false, "kill", "-INT", String.valueOf(pid));
            try {
                process.get().onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception slow) {
                run(false, "kill", "-KILL", String.valueOf(pid));
                process.get().onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not stop " + server.name(), e);
        } finally {
            running.remove(server);
        }
    }

    private synchronized void stopAll() {
        for (Server server : List.copyOf(running).reversed()) {
            stop(server);
        }
    }

    /** Stops every server; keeps the server logs (server-NAME.log) and deletes the data directories. */
    @Override
    public void close() {
        stopAll();
        List<Server> all = new ArrayList<>(standbys);
        all.add(primary);
        for (Server server : all) {
            try {
                Path log = server.dataDirectory().resolve("server.log");
                if (Files.exists(log)) {
                    Files.move(log, directory.resolve("server-" + server.name() + ".log"));
                }
                try (var files = Files.walk(server.dataDirectory())) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            } catch (IOException e) {
                // Left under target/ for the next clean.
            }
        }
    }

    private void start(Server server) throws IOException, InterruptedException {
        appendConfig(server, "port = " + server.port());
        run(
                asPostgresUser,
                BIN.resolve("pg_ctl").toString(),
                "-D",
                server.dataDirectory().toString(),
                "-l",
                server.dataDirectory().resolve("server.log").toString(),
                "-w",
                "-t",
                "30",
                "start");
        running.add(server);
    }

    private static void appendConfig(Server server, String... lines) throws IOException {
        Files.writeString(
                server.dataDirectory().resolve("postgresql.conf"),
                "\n" + String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    private void run(boolean asPostgres, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asPostgres) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        Path log = directory.resolve("commands.log");
        Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + line);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "failed (" + process.exitValue() + "): " + line + "\n" + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
