package io.employeemgmt.salary;

import static io.employeemgmt.platform.EffectiveDating.OPEN_END;

import io.employeemgmt.audit.AuditLog;
import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.BusinessMetrics;
import io.employeemgmt.platform.DataChanges;
import io.employeemgmt.platform.PageRequest;
import io.employeemgmt.platform.PageResponse;
import io.employeemgmt.platform.SortOrder;
import io.employeemgmt.salary.SalaryDtos.Amount;
import io.employeemgmt.salary.SalaryDtos.SalaryRequest;
import io.employeemgmt.salary.SalaryDtos.SalaryView;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Salary history. Direct record maintenance (create/update/delete of a period) is for corrections; the normal
 * path is a salary change on the employee, which closes the current period and opens the next in one transaction.
 * Overlaps and a second current salary are refused by the database's constraints either way.
 */
@Service
public class SalaryService {

    private static final Map<String, String> SORTS =
            SortOrder.allow("fromDate", "from_date", "amount", "amount", "empNo", "emp_no", "id", "id");

    private final SalaryRepository repository;
    private final BusinessMetrics metrics;
    private final DataChanges changes;
    private final AuditLog audit;

    SalaryService(SalaryRepository repository, BusinessMetrics metrics, DataChanges changes, AuditLog audit) {
        this.repository = repository;
        this.metrics = metrics;
        this.changes = changes;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public PageResponse<SalaryView> list(
            Long empNo, BigDecimal minAmount, BigDecimal maxAmount, LocalDate from, LocalDate to, PageRequest page) {
        page.requireOffsetPaging();
        if (minAmount != null && maxAmount != null && minAmount.compareTo(maxAmount) > 0) {
            throw ApiException.badRequest("minAmount", "must not be greater than maxAmount");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.badRequest("fromDate", "must not be after toDate");
        }
        var filter = new SalaryRepository.Filter(empNo, minAmount, maxAmount, from, to);
        SortOrder sort = SortOrder.parse(page.sort(), SORTS, "id");
        return PageResponse.offset(
                repository.findPage(filter, sort, page.sizeOrDefault(), page.offset()),
                page.pageOrZero(),
                page.sizeOrDefault(),
                repository.count(filter));
    }

    @Transactional(readOnly = true)
    public SalaryView get(long id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("Salary record " + id + " does not exist"));
    }

    @Transactional
    public SalaryView create(SalaryRequest request) {
        changes.changed();
        long id = repository.insert(
                request.empNo(),
                request.amount(),
                currency(request.currency()),
                request.fromDate(),
                request.toDate() == null ? OPEN_END : request.toDate());
        metrics.salaryChanged();
        SalaryView created = get(id);
        audit.record("SALARY_CREATED", "SALARY", id, null, created);
        return created;
    }

    @Transactional
    public SalaryView update(long id, SalaryRequest request) {
        changes.changed();
        SalaryView existing = get(id);
        if (existing.empNo() != request.empNo()) {
            throw ApiException.badRequest("empNo", "a salary record cannot move to another employee");
        }
        repository.update(
                id,
                request.amount(),
                currency(request.currency()),
                request.fromDate(),
                request.toDate() == null ? OPEN_END : request.toDate());
        metrics.salaryChanged();
        SalaryView updated = get(id);
        audit.record("SALARY_UPDATED", "SALARY", id, existing, updated);
        return updated;
    }

    @Transactional
    public void delete(long id) {
        changes.changed();
        SalaryView existing = get(id);
        if (repository.delete(id) == 0) {
            throw ApiException.notFound("Salary record " + id + " does not exist");
        }
        audit.record("SALARY_DELETED", "SALARY", id, existing, null);
    }

    @Transactional(readOnly = true)
    public List<SalaryView> history(long empNo) {
        if (!repository.employeeExists(empNo)) {
            throw ApiException.notFound("Employee " + empNo + " does not exist");
        }
        return repository.history(empNo);
    }

    @Transactional(readOnly = true)
    public SalaryView current(long empNo) {
        return repository
                .current(empNo)
                .orElseThrow(() -> ApiException.notFound("Employee " + empNo + " has no current salary"));
    }

    public void startForNewHire(long empNo, Amount amount, LocalDate hireDate) {
        repository.insert(empNo, amount.amount(), amount.currencyOrDefault(), hireDate, OPEN_END);
    }

    /** Pays {@code amount} from {@code effectiveDate}; the caller holds the employee lock. */
    public SalaryView change(long empNo, Amount amount, LocalDate effectiveDate) {
        repository.closeCurrent(empNo, effectiveDate);
        repository.insert(empNo, amount.amount(), amount.currencyOrDefault(), effectiveDate, OPEN_END);
        metrics.salaryChanged();
        return current(empNo);
    }

    public void endEmployment(long empNo, LocalDate terminationDate) {
        repository.closeCurrent(empNo, terminationDate);
    }

    private static String currency(String requested) {
        return requested == null ? SalaryDtos.DEFAULT_CURRENCY : requested;
    }
}
