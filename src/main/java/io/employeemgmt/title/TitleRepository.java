package io.employeemgmt.title;

import io.employeemgmt.platform.EffectiveDating;
import io.employeemgmt.title.TitleDtos.TitleHeadcount;
import io.employeemgmt.title.TitleDtos.TitleRecord;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class TitleRepository {

    private final JdbcClient jdbc;

    TitleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<TitleHeadcount> distinctTitles() {
        return jdbc.sql("""
                        SELECT title, count(*) FILTER (WHERE to_date = DATE '9999-12-31') AS current_headcount
                        FROM titles GROUP BY title ORDER BY title
                        """).query(TitleHeadcount.class).list();
    }

    List<TitleRecord> history(long empNo) {
        return jdbc.sql("SELECT title, from_date, to_date FROM titles WHERE emp_no = :empNo ORDER BY from_date DESC")
                .param("empNo", empNo)
                .query(TitleRecord.class)
                .list();
    }

    Optional<String> current(long empNo) {
        return jdbc.sql("SELECT title FROM titles WHERE emp_no = :empNo AND to_date = DATE '9999-12-31'")
                .param("empNo", empNo)
                .query(String.class)
                .optional();
    }

    void open(long empNo, String title, LocalDate fromDate) {
        jdbc.sql("INSERT INTO titles (emp_no, title, from_date) VALUES (:empNo, :title, :fromDate)")
                .param("empNo", empNo)
                .param("title", title)
                .param("fromDate", fromDate)
                .update();
    }

    void closeCurrent(long empNo, LocalDate date) {
        EffectiveDating.closeCurrent(jdbc, "titles", "emp_no", empNo, date, "title");
    }
}
