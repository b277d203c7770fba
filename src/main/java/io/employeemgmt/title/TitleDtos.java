package io.employeemgmt.title;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;

/** Response shapes of the title API. */
public final class TitleDtos {

    private TitleDtos() {}

    @Schema(name = "TitleHeadcount")
    public record TitleHeadcount(String title, long currentHeadcount) {}

    @Schema(name = "TitleRecord")
    public record TitleRecord(String title, LocalDate fromDate, LocalDate toDate) {}
}
