package dev.nosso.usage;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The Usage page's figures for a period, as JSON for its charts or as CSV for a spreadsheet. */
@Service
class UsageReports {

    private static final UsageReport.Figures NONE = new UsageReport.Figures(0, 0, 0, null, null);

    private final UsageRepository usage;

    UsageReports(UsageRepository usage) {
        this.usage = usage;
    }

    /** The figures of the UTC days from {@code from} to {@code to}, both included. */
    @Transactional(readOnly = true)
    UsageReport report(LocalDate from, LocalDate to) {
        int first = (int) from.toEpochDay();
        int last = (int) to.toEpochDay();
        Map<Integer, UsageReport.Figures> stored = new HashMap<>();
        for (UsageRepository.DayRow row : usage.byDay(first, last)) {
            stored.put(row.day(), row.figures());
        }
        List<UsageReport.Day> days = new ArrayList<>(last - first + 1);
        for (int day = first; day <= last; day++) {
            days.add(new UsageReport.Day(LocalDate.ofEpochDay(day), stored.getOrDefault(day, NONE)));
        }
        List<UsageReport.ModelFigures> models = usage.byModel(first, last);
        return new UsageReport(from, to, total(models), days, models, usage.byUser(first, last));
    }

    /**
     * The same figures as one CSV table: a row per day, then per model, then per user, each naming its section,
     * so that a spreadsheet can filter on the first column.
     */
    void csv(UsageReport report, Writer out) throws IOException {
        out.write("section,key,name,answers,prompt_tokens,completion_tokens,tokens,mean_time_to_first_token_ms,"
                + "mean_tokens_per_second\r\n");
        row(out, "total", report.from() + ".." + report.to(), "", report.total());
        for (UsageReport.Day day : report.days()) {
            row(out, "day", day.day().toString(), "", day.figures());
        }
        for (UsageReport.ModelFigures model : report.models()) {
            row(out, "model", model.model(), "", model.figures());
        }
        for (UsageReport.UserFigures user : report.users()) {
            row(out, "user", user.email(), user.name(), user.figures());
        }
    }

    private static UsageReport.Figures total(List<UsageReport.ModelFigures> models) {
        long answers = 0, prompt = 0, completion = 0;
        double firstTokenMs = 0, firstTokens = 0, speed = 0, speeds = 0;
        for (UsageReport.ModelFigures model : models) {
            UsageReport.Figures f = model.figures();
            answers += f.answers();
            prompt += f.promptTokens();
            completion += f.completionTokens();
            // The means are weighted by the answers of each model: close to, not exactly, the mean of all.
            if (f.meanTimeToFirstTokenMs() != null) {
                firstTokenMs += f.meanTimeToFirstTokenMs() * f.answers();
                firstTokens += f.answers();
            }
            if (f.meanTokensPerSecond() != null) {
                speed += f.meanTokensPerSecond() * f.answers();
                speeds += f.answers();
            }
        }
        return new UsageReport.Figures(answers, prompt, completion,
                firstTokens == 0 ? null : Math.round(firstTokenMs / firstTokens * 10) / 10.0,
                speeds == 0 ? null : Math.round(speed / speeds * 10) / 10.0);
    }

    private static void row(Writer out, String section, String key, String name, UsageReport.Figures f)
            throws IOException {
        out.write(String.join(",", section, cell(key), cell(name), Long.toString(f.answers()),
                Long.toString(f.promptTokens()), Long.toString(f.completionTokens()), Long.toString(f.tokens()),
                number(f.meanTimeToFirstTokenMs()), number(f.meanTokensPerSecond())));
        out.write("\r\n");
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * RFC 4180 quoting; a cell that a spreadsheet would take for a formula (an email or a name typed by a user
     * starting with =, +, - or @) is prefixed with an apostrophe, as OWASP advises against CSV injection.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
