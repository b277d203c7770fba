package io.employeemgmt.datagen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Generates the classic employees data set, shaped like the original (9 departments, 7 titles, about 9.4 salary
 * rows, 1.5 titles and 1.1 department assignments per employee) and fully determined by the seed and the size.
 * Rows go in through parallel COPY streams in chunks; a failed load leaves the database empty (see
 * {@link #load(Connection, Connections, int)} and {@link LoadSchema}).
 *
 * <p>History runs up to {@link #GENERATED_UNTIL}, a fixed date, so the same seed gives the same rows on any day.
 */
final class DemoDataGenerator {

    static final LocalDate GENERATED_UNTIL = LocalDate.of(2026, 1, 1);
    private static final String OPEN_END = "9999-12-31";
    private static final long FIRST_EMP_NO = 10001;
    private static final int CHUNK = 20_000;

    private static final String[][] DEPARTMENTS = {
        {"d001", "Marketing", "New York"},
        {"d002", "Finance", "New York"},
        {"d003", "Human Resources", "Chicago"},
        {"d004", "Production", "Detroit"},
        {"d005", "Development", "San Francisco"},
        {"d006", "Quality Management", "Austin"},
        {"d007", "Sales", "Boston"},
        {"d008", "Research", "Seattle"},
        {"d009", "Customer Service", "Denver"}
    };
    /** Relative department sizes, as in the original data set (Development largest). */
    private static final int[] DEPARTMENT_WEIGHTS = {6, 5, 5, 22, 26, 6, 16, 6, 8};

    private static final String[] FIRST_NAMES = {
        "Georgi", "Bezalel", "Parto", "Chirstian", "Kyoichi", "Anneke", "Tzvetan", "Saniya", "Sumant", "Duangkaew",
        "Mary", "Patricio", "Eberhardt", "Berni", "Guoxiang", "Kazuhito", "Cristinel", "Kazuhide", "Lillian", "Mayuko",
        "Ramzi", "Shahaf", "Bojan", "Suzette", "Prasadram", "Yongqiao", "Divier", "Domenick", "Otmar", "Elvis",
        "Karsten", "Jeong", "Arif", "Alain", "Adamantios", "Pradeep", "Huan", "Alejandro", "Weiyi", "Uri",
        "Magy", "Yishay", "Mingsen", "Moss", "Lucien", "Zvonko", "Florian", "Basil", "Yinghua", "Hidefumi"
    };
    private static final String[] LAST_NAMES = {
        "Facello", "Simmel", "Bamford", "Koblick", "Maliniak", "Preusig", "Zielinski", "Kalloufi", "Peac", "Piveteau",
        "Sluis", "Bridgland", "Terkki", "Genin", "Nooteboom", "Cappelletti", "Bouloucos", "Peha", "Haddadi", "Warwick",
        "Erde", "Famili", "Montemayor", "Pettey", "Heyers", "Berztiss", "Reistad", "Tempesti", "Herbst", "Demeyer",
        "Joslin", "Reistad", "Tramer", "Lenart", "Baek", "Chappelet", "Portugali", "Kalloufi", "Waschkowski", "Azuma",
        "Lortz", "Gils", "Merlo", "Stamatiou", "Hofting", "Tokunaga", "Syrotiuk", "Rahimi", "Butterworth", "Morton",
        "Nyanchama", "Ullian", "Sidou", "Bahr", "Delgrange", "Garigliano", "Cusworth", "Zschoche", "Schusler", "Kambil"
    };
    private static final String[] STREETS = {"Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St"};

    private final SplittableRandom random;
    private final int employees;
    private final Consumer<String> progress;

    DemoDataGenerator(long seed, int employees, Consumer<String> progress) {
        this.random = new SplittableRandom(seed);
        this.employees = employees;
        this.progress = progress;
    }

    /** Opens one more connection to the database being loaded (a pool's, or a plain driver connection). */
    @FunctionalInterface
    interface Connections {
        Connection open() throws SQLException;
    }

    /**
     * Loads everything, or nothing: returns false if the database already has employees (another loader got there
     * first). {@code connection} coordinates; the rows go in through {@code streams} COPY streams, each on its own
     * connection from {@code connections} and in its own transaction, fed in turn by one generator thread (the
     * random draws stay in one sequence, so the rows are the same whatever the number of streams; only the
     * surrogate {@code id}s of the history rows are numbered in arrival order). The indexes and foreign keys that
     * {@link LoadSchema} takes off are re-created on the same connections at the end, which checks every row; if
     * anything fails the generated rows are removed and the schema put back before the exception is rethrown.
     */
    boolean load(Connection connection, Connections connections, int streams) throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            // Two replicas starting together must not both load: the second waits, then finds data and stops.
            statement.execute("SELECT pg_advisory_lock(4201)");
            try {
                if (LoadSchema.unfinished(connection)) {
                    progress.accept("Demo data: an earlier load did not finish; removing its rows");
                    LoadSchema.undo(connection, departmentNumbers());
                }
                var rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM employees)");
                if (!rs.next() || rs.getBoolean(1)) {
                    return false;
                }
                List<LoadSchema.Ddl> relaxed = LoadSchema.relax(connection);
                try {
                    Counts counts = load(connection, connections, streams, started);
                    rebuild(relaxed, connection, connections, streams, started);
                    statement.execute("SELECT setval(pg_get_serial_sequence('employees', 'emp_no'),"
                            + " (SELECT coalesce(max(emp_no), " + (FIRST_EMP_NO - 1) + ") FROM employees))");
                    LoadSchema.finish(statement);
                    // Fresh statistics and visibility map, so the first queries get index-only plans.
                    statement.execute("VACUUM ANALYZE");
                    progress.accept("Demo data loaded: %d employees, %d salaries, %d titles, %d department"
                                    .formatted(
                                            employees,
                                            counts.salaries.sum(),
                                            counts.titles.sum(),
                                            counts.assignments.sum())
                            + " assignments, %d manager terms in %d ms".formatted(counts.managers, elapsed(started)));
                    return true;
                } catch (SQLException | RuntimeException e) {
                    progress.accept("Demo data: the load failed (%s); removing its rows".formatted(e.getMessage()));
                    LoadSchema.undo(connection, departmentNumbers());
                    throw e;
                }
            } finally {
                statement.execute("SELECT pg_advisory_unlock(4201)");
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Departments on {@code connection}, then every generated row through the streams, then the manager terms. */
    private Counts load(Connection connection, Connections connections, int streams, long started) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            insertDepartments(statement);
        }
        Counts counts = new Counts();
        List<ManagerTerm> managers = new ArrayList<>();
        List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(
                streams + 1, Thread.ofPlatform().name("demo-data-", 0).daemon().factory())) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(1);
                queues.add(queue);
                tasks.add(() -> copyStream(connections, queue, counts, started));
            }
            tasks.add(() -> {
                AtomicInteger next = new AtomicInteger();
                generate(chunk -> queues.get(next.getAndIncrement() % streams).put(chunk), managers);
                for (BlockingQueue<Chunk> queue : queues) {
                    queue.put(Chunk.END);
                }
                return null;
            });
            runAll(workers, tasks);
        }
        StringBuilder managerRows = new StringBuilder();
        for (ManagerTerm term : managers) {
            managerRows
                    .append(term.empNo)
                    .append(',')
                    .append(term.deptNo)
                    .append(',')
                    .append(term.from);
            managerRows.append(',').append(term.to).append('\n');
        }
        copyIn(
                connection.unwrap(PGConnection.class).getCopyAPI(),
                "dept_manager (emp_no, dept_no, from_date, to_date)",
                managerRows);
        counts.managers = managers.size();
        return counts;
    }

    /** One COPY stream: every chunk of its queue in one transaction, committed when the queue ends. */
    private Void copyStream(Connections connections, BlockingQueue<Chunk> queue, Counts counts, long started)
            throws SQLException, InterruptedException {
        try (Connection stream = connections.open()) {
            stream.setAutoCommit(false);
            try {
                CopyManager copy = stream.unwrap(PGConnection.class).getCopyAPI();
                for (Chunk chunk = queue.take(); chunk != Chunk.END; chunk = queue.take()) {
                    chunk.copyInto(copy, counts);
                    counts.employees.add(chunk.size);
                    progress.accept("Demo data: %d/%d employees (%d salary rows) after %d ms"
                            .formatted(counts.employees.sum(), employees, counts.salaries.sum(), elapsed(started)));
                }
                stream.commit();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                stream.rollback();
                throw e;
            } finally {
                stream.setAutoCommit(true);
            }
        }
        return null;
    }

    /** Re-creates the indexes in parallel (one per stream connection at a time), then the foreign keys. */
    private void rebuild(
            List<LoadSchema.Ddl> relaxed, Connection connection, Connections connections, int streams, long started)
            throws SQLException {
        progress.accept("Demo data: rows copied after %d ms; re-creating %d indexes and foreign keys"
                .formatted(elapsed(started), relaxed.size()));
        Queue<LoadSchema.Ddl> indexes = new ConcurrentLinkedQueue<>(
                relaxed.stream().filter(ddl -> !ddl.foreignKey()).toList());
        try (ExecutorService workers = Executors.newFixedThreadPool(
                streams,
                Thread.ofPlatform().name("demo-data-index-", 0).daemon().factory())) {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                tasks.add(() -> {
                    try (Connection builder = connections.open();
                            Statement statement = builder.createStatement()) {
                        statement.execute("SET maintenance_work_mem = '256MB'");
                        for (LoadSchema.Ddl ddl = indexes.poll(); ddl != null; ddl = indexes.poll()) {
                            statement.execute(ddl.create());
                        }
                        statement.execute("RESET maintenance_work_mem");
                    }
                    return null;
                });
            }
            runAll(workers, tasks);
        }
        // Foreign keys one after the other: each locks employees against the others while it validates.
        try (Statement statement = connection.createStatement()) {
            for (LoadSchema.Ddl ddl : relaxed) {
                if (ddl.foreignKey()) {
                    statement.execute(ddl.create());
                }
            }
        }
        progress.accept(
                "Demo data: indexes and foreign keys re-created and checked after %d ms".formatted(elapsed(started)));
    }

    /**
     * Runs the tasks and waits for all of them; on the first failure (in whichever order they fail) cancels the
     * others, interrupting them out of their queues, and rethrows it.
     */
    private static void runAll(ExecutorService executor, List<Callable<Void>> tasks) throws SQLException {
        CompletionService<Void> done = new ExecutorCompletionService<>(executor);
        List<Future<Void>> futures = tasks.stream().map(done::submit).toList();
        try {
            for (int left = futures.size(); left > 0; left--) {
                done.take().get();
            }
        } catch (ExecutionException e) {
            futures.forEach(task -> task.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw new SQLException(sql.getMessage(), sql.getSQLState(), e);
            }
            throw new IllegalStateException("demo data load failed: " + cause.getMessage(), e);
        } catch (InterruptedException e) {
            futures.forEach(task -> task.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading demo data", e);
        }
    }

    private static List<String> departmentNumbers() {
        return java.util.Arrays.stream(DEPARTMENTS).map(d -> d[0]).toList();
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void insertDepartments(Statement statement) throws SQLException {
        StringBuilder sql =
                new StringBuilder("INSERT INTO departments (dept_no, name, description, budget, location) VALUES ");
        for (int i = 0; i < DEPARTMENTS.length; i++) {
            String[] d = DEPARTMENTS[i];
            sql.append(i == 0 ? "" : ", ")
                    .append("('%s', '%s', 'The %s department', %d, '%s')"
                            .formatted(d[0], d[1], d[1], 1_000_000L * DEPARTMENT_WEIGHTS[i], d[2]));
        }
        statement.execute(sql.toString());
    }

    /** Generates every chunk in order (one random sequence), handing each to {@code sink}. */
    private void generate(ChunkSink sink, List<ManagerTerm> managers) throws InterruptedException {
        ManagerPicker picker = new ManagerPicker();
        for (int from = 0; from < employees; from += CHUNK) {
            int upTo = Math.min(employees, from + CHUNK);
            Chunk chunk = new Chunk(upTo - from);
            for (int i = from; i < upTo; i++) {
                generateEmployee(FIRST_EMP_NO + i, chunk, picker, managers);
            }
            sink.accept(chunk);
        }
    }

    private interface ChunkSink {
        void accept(Chunk chunk) throws InterruptedException;
    }

    private void generateEmployee(long empNo, Chunk chunk, ManagerPicker picker, List<ManagerTerm> managers) {
        Tenure tenure = person(empNo, chunk);
        Stay current = departments(empNo, chunk, tenure);
        // The first two long-serving people of each department become its managers, one after the other.
        LocalDate managerFrom =
                tenure.terminated() ? null : picker.offer(current.deptNo(), empNo, current.since(), managers);
        titles(empNo, chunk, tenure, managerFrom);
        salaries(empNo, chunk, tenure);
    }

    /** The employee row; the order of the random draws here and below is what makes the data set reproducible. */
    private Tenure person(long empNo, Chunk chunk) {
        LocalDate hire = date(LocalDate.of(2008, 1, 1), LocalDate.of(2025, 6, 30));
        LocalDate birth = hire.minusDays(random.nextLong(18 * 365, 60 * 365));
        boolean terminated = random.nextInt(100) < 10 && hire.isBefore(GENERATED_UNTIL.minusYears(1));
        LocalDate end = terminated ? date(hire.plusYears(1), GENERATED_UNTIL.minusDays(1)) : null;
        String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        int genderRoll = random.nextInt(1000);
        String gender = genderRoll < 595 ? "M" : genderRoll < 995 ? "F" : "X";
        String email = (first + "." + last + "." + empNo + "@example.com").toLowerCase(Locale.ROOT);
        String phone = "+1 555 " + (1000000 + random.nextInt(9000000));
        String address = (1 + random.nextInt(999)) + " " + STREETS[random.nextInt(STREETS.length)];
        chunk.employees
                .append(empNo)
                .append(',')
                .append(first)
                .append(',')
                .append(last)
                .append(',')
                .append(birth)
                .append(',')
                .append(gender)
                .append(',')
                .append(hire)
                .append(',')
                .append(terminated ? end : "")
                .append(',')
                .append(terminated ? "TERMINATED" : "ACTIVE")
                .append(',')
                .append(email)
                .append(',')
                .append(phone)
                .append(',')
                .append(address)
                .append('\n');
        return new Tenure(hire, end, terminated ? end : GENERATED_UNTIL);
    }

    /** One department, or a transfer part-way through (about one in ten); returns the current one. */
    private Stay departments(long empNo, Chunk chunk, Tenure tenure) {
        String dept = pickDepartment();
        if (random.nextInt(10) == 0 && tenure.lastDay().isAfter(tenure.hire().plusYears(2))) {
            LocalDate transfer =
                    date(tenure.hire().plusYears(1), tenure.lastDay().minusYears(1));
            String secondDept = pickDepartment();
            if (!secondDept.equals(dept)) {
                chunk.assignment(empNo, dept, tenure.hire(), transfer.toString());
                chunk.assignment(empNo, secondDept, transfer, tenure.endOrOpen());
                return new Stay(secondDept, transfer);
            }
        }
        chunk.assignment(empNo, dept, tenure.hire(), tenure.endOrOpen());
        return new Stay(dept, tenure.hire());
    }

    /** A starting title and up to two promotions; the current manager's last title is Manager. */
    private void titles(long empNo, Chunk chunk, Tenure tenure, LocalDate managerFrom) {
        String title = random.nextInt(3) == 0 ? "Staff" : random.nextInt(2) == 0 ? "Engineer" : "Assistant Engineer";
        LocalDate titleFrom = tenure.hire();
        LocalDate titleLimit = managerFrom != null ? managerFrom : tenure.lastDay();
        int promotions = random.nextInt(3);
        for (int p = 0; p < promotions && titleFrom.plusYears(2).isBefore(titleLimit); p++) {
            LocalDate promoted = date(titleFrom.plusYears(1), titleLimit.minusDays(1));
            chunk.title(empNo, title, titleFrom, promoted.toString());
            title = promote(title);
            titleFrom = promoted;
        }
        if (managerFrom != null) {
            chunk.title(empNo, title, titleFrom, managerFrom.toString());
            chunk.title(empNo, "Manager", managerFrom, OPEN_END);
        } else {
            chunk.title(empNo, title, titleFrom, tenure.endOrOpen());
        }
    }

    /** One salary row per year of service with a raise, as in the original data set. */
    private void salaries(long empNo, Chunk chunk, Tenure tenure) {
        long amount = 40_000L + random.nextInt(45_000);
        LocalDate from = tenure.hire();
        LocalDate next = from.plusYears(1);
        while (next.isBefore(tenure.lastDay())) {
            chunk.salary(empNo, amount, from, next.toString());
            amount = amount + amount * random.nextInt(7) / 100;
            from = next;
            next = from.plusYears(1);
        }
        chunk.salary(empNo, amount, from, tenure.endOrOpen());
    }

    private String pickDepartment() {
        int roll = random.nextInt(100);
        for (int i = 0; i < DEPARTMENT_WEIGHTS.length; i++) {
            roll -= DEPARTMENT_WEIGHTS[i];
            if (roll < 0) {
                return DEPARTMENTS[i][0];
            }
        }
        return DEPARTMENTS[DEPARTMENTS.length - 1][0];
    }

    private static String promote(String title) {
        return switch (title) {
            case "Staff" -> "Senior Staff";
            case "Assistant Engineer" -> "Engineer";
            case "Engineer" -> "Senior Engineer";
            default -> "Technique Leader";
        };
    }

    private LocalDate date(LocalDate from, LocalDate to) {
        long span = to.toEpochDay() - from.toEpochDay();
        return span <= 0 ? from : from.plusDays(random.nextLong(span + 1));
    }

    private record ManagerTerm(long empNo, String deptNo, LocalDate from, String to) {}

    /** Employed from {@code hire}; {@code end} is the termination date (null while employed). */
    private record Tenure(LocalDate hire, LocalDate end, LocalDate lastDay) {
        boolean terminated() {
            return end != null;
        }

        String endOrOpen() {
            return end == null ? OPEN_END : end.toString();
        }
    }

    /** The department someone works in now, and since when. */
    private record Stay(String deptNo, LocalDate since) {}

    /** Chooses, per department, a former manager (first candidate) and the current one (second candidate). */
    private static final class ManagerPicker {
        private final java.util.Map<String, ManagerTerm> first = new java.util.HashMap<>();
        private final java.util.Set<String> done = new java.util.HashSet<>();

        /** @return the date the employee becomes the current manager, or null if they are not one */
        LocalDate offer(String dept, long empNo, LocalDate since, List<ManagerTerm> terms) {
            if (done.contains(dept) || since.isAfter(LocalDate.of(2018, 1, 1))) {
                return null;
            }
            ManagerTerm former = first.get(dept);
            if (former == null) {
                first.put(dept, new ManagerTerm(empNo, dept, since.plusYears(1), null));
                return null;
            }
            LocalDate handover = later(former.from.plusYears(2), since.plusYears(1));
            terms.add(new ManagerTerm(former.empNo, dept, former.from, handover.toString()));
            terms.add(new ManagerTerm(empNo, dept, handover, OPEN_END));
            done.add(dept);
            return handover;
        }

        private static LocalDate later(LocalDate a, LocalDate b) {
            return a.isAfter(b) ? a : b;
        }
    }

    /** Row counts, added to by every stream. */
    private static final class Counts {
        final LongAdder employees = new LongAdder();
        final LongAdder salaries = new LongAdder();
        final LongAdder titles = new LongAdder();
        final LongAdder assignments = new LongAdder();
        int managers;
    }

    /** CSV rows of one chunk of employees, copied table by table (one COPY at a time per connection). */
    @SuppressWarnings("PMD.AvoidStringBufferField") // a chunk lives for one COPY of CHUNK employees, then is dropped
    private static final class Chunk {
        final StringBuilder employees = new StringBuilder();
        final StringBuilder assignments = new StringBuilder();
        final StringBuilder titles = new StringBuilder();
        final StringBuilder salaries = new StringBuilder();
        /** Marks the end of a stream's queue. */
        static final Chunk END = new Chunk(0);

        /** How many employees the chunk holds. */
        final int size;

        long assignmentCount;
        long titleCount;
        long salaryCount;

        Chunk(int size) {
            this.size = size;
        }

        void assignment(long empNo, String dept, LocalDate from, String to) {
            assignments
                    .append(empNo)
                    .append(',')
                    .append(dept)
                    .append(',')
                    .append(from)
                    .append(',')
                    .append(to);
            assignments.append('\n');
            assignmentCount++;
        }

        void title(long empNo, String title, LocalDate from, String to) {
            titles.append(empNo)
                    .append(',')
                    .append(title)
                    .append(',')
                    .append(from)
                    .append(',')
                    .append(to);
            titles.append('\n');
            titleCount++;
        }

        void salary(long empNo, long amount, LocalDate from, String to) {
            salaries.append(empNo)
                    .append(',')
                    .append(amount)
                    .append(",USD,")
                    .append(from)
                    .append(',')
                    .append(to);
            salaries.append('\n');
            salaryCount++;
        }

        void copyInto(CopyManager copy, Counts counts) throws SQLException {
            copyIn(
                    copy,
                    "employees (emp_no, first_name, last_name, birth_date, gender, hire_date, termination_date,"
                            + " status, email, phone, address)",
                    employees);
            copyIn(copy, "dept_emp (emp_no, dept_no, from_date, to_date)", assignments);
            copyIn(copy, "titles (emp_no, title, from_date, to_date)", titles);
            copyIn(copy, "salaries (emp_no, amount, currency, from_date, to_date)", salaries);
            counts.assignments.add(assignmentCount);
            counts.titles.add(titleCount);
            counts.salaries.add(salaryCount);
        }
    }

    private static void copyIn(CopyManager copy, String target, StringBuilder rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.copyIn("COPY " + target + " FROM STDIN (FORMAT csv)", new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
