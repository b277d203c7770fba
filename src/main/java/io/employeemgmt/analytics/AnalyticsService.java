package io.employeemgmt.analytics;

import io.employeemgmt.analytics.AnalyticsDtos.GenderDiversity;
import io.employeemgmt.analytics.AnalyticsDtos.PerformanceReport;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryBucket;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryDistribution;
import io.employeemgmt.analytics.AnalyticsDtos.SalaryStatistics;
import io.employeemgmt.analytics.AnalyticsDtos.Summary;
import io.employeemgmt.analytics.AnalyticsDtos.TitleShare;
import io.employeemgmt.analytics.AnalyticsDtos.Trends;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.Caches;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.cache.annotation.CacheConfig;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Workforce analytics over the effective-dated history; every figure can be asked for any past date. */
@Service
@Transactional(readOnly = true)
@CacheConfig(cacheNames = Caches.ANALYTICS)
public class AnalyticsService {

    /** Bounds the size of a response; a bucket or trend point per row of output. */
    static final int MAX_POINTS = 1000;

    public enum Interval {
        MONTH,
        YEAR
    }

    private final AnalyticsRepository repository;

    AnalyticsService(AnalyticsRepository repository) {
        this.repository = repository;
    }

    @Cacheable(sync = true)
    public SalaryStatistics salaryStatistics(LocalDate asOf, String department, String title) {
        return repository.salaryStatistics(orToday(asOf), department, title);
    }

    @Cacheable(sync = true)
    public SalaryDistribution salaryDistribution(
            LocalDate asOf, String department, String title, BigDecimal bucketWidth) {
        LocalDate date = orToday(asOf);
        List<SalaryBucket> buckets = repository.salaryBuckets(date, department, title, bucketWidth);
        if (buckets.size() > MAX_POINTS) {
            throw ApiException.badRequest("bucketWidth", "gives more than " + MAX_POINTS + " buckets; use a wider one");
        }
        return new SalaryDistribution(date, bucketWidth, buckets);
    }

    @Cacheable(sync = true)
    public PerformanceReport departmentPerformance(LocalDate from, LocalDate to) {
        LocalDate end = orToday(to);
        LocalDate start = from == null ? end.minusYears(1).plusDays(1) : from;
        requireOrdered(start, end);
        return new PerformanceReport(start, end, repository.departmentPerformance(start, end));
    }

    @Cacheable(sync = true)
    public Trends trends(Interval interval, LocalDate from, LocalDate to) {
        LocalDate end = orToday(to);
        LocalDate start = from != null ? from : interval == Interval.MONTH ? end.minusMonths(23) : end.minusYears(9);
        requireOrdered(start, end);
        long points = interval == Interval.MONTH
                ? ChronoUnit.MONTHS.between(start.withDayOfMonth(1), end) + 1
                : end.getYear() - start.getYear() + 1;
        if (points > MAX_POINTS) {
            throw ApiException.badRequest("from", "the range has more than " + MAX_POINTS + " periods");
        }
        String unit = interval.name().toLowerCase(java.util.Locale.ROOT);
        return new Trends(unit, start, end, repository.trends(unit, start, end));
    }

    @Cacheable(sync = true)
    public List<GenderDiversity> genderDiversity(LocalDate asOf) {
        return repository.genderDiversity(orToday(asOf));
    }

    @Cacheable(sync = true)
    public List<TitleShare> titleDistribution(LocalDate asOf, String department) {
        return repository.titleDistribution(orToday(asOf), department);
    }

    @Cacheable(sync = true)
    public Summary summary(LocalDate asOf) {
        return repository.summary(orToday(asOf));
    }

    private static LocalDate orToday(LocalDate date) {
        return date == null ? LocalDate.now(ZoneOffset.UTC) : date;
    }

    private static void requireOrdered(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw ApiException.badRequest("from", "must not be after 'to'");
        }
    }
}
