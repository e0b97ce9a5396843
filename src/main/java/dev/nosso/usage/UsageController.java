package dev.nosso.usage;

import dev.nosso.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Usage of every user, for administrators only (the URL rules refuse everyone else under /api/v1/admin). */
@RestController
@RequestMapping("/api/v1/admin")
@Tag(name = "Usage", description = "Tokens, answers and latency per day, model and user; token budgets")
class UsageController {

    /** The longest period one report covers: a year and a day, so that "the last 365 days" fits a leap year. */
    static final int MAX_DAYS = 366;

    private final UsageReports reports;
    private final Clock clock;

    UsageController(UsageReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/usage")
    @Operation(summary = "Answers, tokens and latency per UTC day, per model and per user, from `from` to `to` "
            + "(ISO dates, both included; the last 30 days unless given; at most 366 days)")
    UsageReport usage(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        LocalDate[] period = period(from, to);
        return reports.report(period[0], period[1]);
    }

    @GetMapping("/usage.csv")
    @Operation(summary = "The same figures as CSV: a row per day, per model and per user")
    void csv(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
             HttpServletResponse response) throws IOException {
        LocalDate[] period = period(from, to);
        UsageReport report = reports.report(period[0], period[1]);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"nosso-usage-" + period[0] + "-" + period[1] + ".csv\"");
        Writer out = response.getWriter();
        reports.csv(report, out);
        out.flush();
    }

    private LocalDate[] period(String from, String to) {
        LocalDate last = to == null || to.isBlank() ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : date("to", to);
        LocalDate first = from == null || from.isBlank() ? last.minusDays(29) : date("from", from);
        if (first.isAfter(last)) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-period", "from must not be after to.");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-period",
                    "A report covers at most " + MAX_DAYS + " days.");
        }
        return new LocalDate[] {first, last};
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.exception(HttpStatus.BAD_REQUEST, "invalid-period",
                    name + " must be a date such as 2026-12-31.");
        }
    }
}
