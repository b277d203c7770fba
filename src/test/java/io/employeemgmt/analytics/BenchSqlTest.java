package io.employeemgmt.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark's pgbench scripts of the analytics ({@code ops/bench/sql/analytics-*.sql}) send exactly the
 * statements of {@link AnalyticsRepository}, so the API ÷ SQL ratios of {@code ops/bench} compare like with like:
 * each script is the repository's statement with its named parameters replaced by the script's expressions (a
 * random day of [2016-01-01, 2026-01-01) as {@code :asOf}, no filters, the controllers' defaults), inside the same
 * read-only transaction with custom plans. When a statement changes, the script it must become is written to
 * {@code target/bench-sql/} to be copied over.
 */
class BenchSqlTest {

    /** pgbench draws {@code :d}; the day it stands for, as an SQL date expression. */
    private static final String DAY = "(DATE '2016-01-01' + CAST(:d AS int))";

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z]\\w*)");

    record Script(String name, String request, String sql, Map<String, String> parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Script> scripts() {
        Map<String, String> staff = Map.of("asOf", DAY, "department", "NULL", "title", "NULL");
        return Stream.of(
                new Script(
                        "salary-statistics", "salary-statistics?asOf=D", AnalyticsRepository.SALARY_STATISTICS, staff),
                new Script(
                        "salary-distribution",
                        "salary-distribution?asOf=D",
                        AnalyticsRepository.SALARY_BUCKETS,
                        Map.of("asOf", DAY, "department", "NULL", "title", "NULL", "width", "10000")),
                // The service's default range: a year up to :to (minusYears(1).plusDays(1)).
                new Script(
                        "department-performance",
                        "department-performance?to=D",
                        AnalyticsRepository.DEPARTMENT_PERFORMANCE,
                        Map.of("to", DAY, "from", "CAST(" + DAY + " - interval '1 year' AS date) + 1")),
                // The service's default range: 23 months before :to.
                new Script(
                        "employee-trends",
                        "employee-trends?interval=MONTH&to=D",
                        AnalyticsRepository.TRENDS,
                        Map.of(
                                "interval",
                                "'month'",
                                "to",
                                DAY,
                                "from",
                                "CAST(" + DAY + " - interval '23 months' AS date)")),
                new Script(
                        "gender-diversity",
                        "gender-diversity?asOf=D",
                        AnalyticsRepository.GENDER_DIVERSITY,
                        Map.of("asOf", DAY)),
                new Script(
                        "title-distribution",
                        "title-distribution?asOf=D",
                        AnalyticsRepository.TITLE_DISTRIBUTION,
                        staff),
                new Script("summary", "summary?asOf=D", AnalyticsRepository.SUMMARY, staff));
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void theBenchScriptSendsTheRepositorysStatement(Script script) throws IOException {
        String expected = "-- GET /analytics/" + script.request()
                + ", as of a day in [2016-01-01, 2026-01-01) (analytics.AnalyticsRepository, checked by"
                + " BenchSqlTest)\n"
                + "\\set d random(0, 3649)\n"
                + "BEGIN READ ONLY;\n"
                + "-- platform.CustomPlans\n"
                + "SET LOCAL plan_cache_mode = force_custom_plan;\n"
                + substitute(script.sql(), script.parameters()).stripTrailing() + ";\n"
                + "COMMIT;\n";
        String file = "analytics-" + script.name() + ".sql";
        Path target = Path.of("target", "bench-sql");
        Files.createDirectories(target);
        Files.writeString(target.resolve(file), expected);

        assertThat(Files.readString(Path.of("ops", "bench", "sql", file)))
                .as("ops/bench/sql/%s (the expected script is in target/bench-sql/)", file)
                .isEqualTo(expected);
    }

    private static String substitute(String sql, Map<String, String> parameters) {
        Matcher matcher = PARAMETER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            assertThat(parameters).as("a value for :%s", name).containsKey(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(parameters.get(name)));
        }
        return matcher.appendTail(out).toString();
    }
}
