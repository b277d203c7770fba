package io.employeemgmt.salary;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.time.LocalDate;

/** Request and response shapes of the salary API. */
public final class SalaryDtos {

    private SalaryDtos() {}

    @Schema(name = "Salary")
    public record SalaryView(
            long id, long empNo, BigDecimal amount, String currency, LocalDate fromDate, LocalDate toDate) {}

    @Schema(
            name = "SalaryRequest",
            description = "A salary period [fromDate, toDate), at least one day; toDate 9999-12-31 (the default)"
                    + " means current")
    public record SalaryRequest(
            @NotNull @Positive Long empNo,

            @NotNull @Positive @DecimalMax("9999999999.99") @Digits(integer = 10, fraction = 2)
            BigDecimal amount,

            @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD")
            String currency,

            @NotNull LocalDate fromDate,
            LocalDate toDate) {}

    /** The money part of a hire or a salary change. */
    @Schema(name = "SalaryAmount")
    public record Amount(
            @NotNull @Positive @DecimalMax("9999999999.99") @Digits(integer = 10, fraction = 2)
            BigDecimal amount,

            @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD")
            String currency) {

        public String currencyOrDefault() {
            return currency == null ? DEFAULT_CURRENCY : currency;
        }
    }

    public static final String DEFAULT_CURRENCY = "USD";
}
