package io.employeemgmt.title;

import io.employeemgmt.platform.ApiException;
import io.employeemgmt.platform.Caches;
import io.employeemgmt.title.TitleDtos.TitleHeadcount;
import io.employeemgmt.title.TitleDtos.TitleRecord;
import java.time.LocalDate;
import java.util.List;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Job titles over time. Hire, promotion and termination run inside the employee feature's transaction. */
@Service
public class TitleService {

    private final TitleRepository repository;

    TitleService(TitleRepository repository) {
        this.repository = repository;
    }

    @Transactional(readOnly = true)
    @Cacheable(Caches.TITLES)
    public List<TitleHeadcount> titles() {
        return repository.distinctTitles();
    }

    @Transactional(readOnly = true)
    public List<TitleRecord> history(long empNo) {
        return repository.history(empNo);
    }

    public void assignNewHire(long empNo, String title, LocalDate hireDate) {
        repository.open(empNo, title.strip(), hireDate);
    }

    /** Gives the employee {@code title} from {@code effectiveDate}; the caller holds the employee lock. */
    public void promote(long empNo, String title, LocalDate effectiveDate) {
        String normalized = title.strip();
        if (repository.current(empNo).filter(normalized::equals).isPresent()) {
            throw ApiException.conflict("Employee " + empNo + " already holds the title " + normalized);
        }
        repository.closeCurrent(empNo, effectiveDate);
        repository.open(empNo, normalized, effectiveDate);
    }

    public void endEmployment(long empNo, LocalDate terminationDate) {
        repository.closeCurrent(empNo, terminationDate);
    }
}
