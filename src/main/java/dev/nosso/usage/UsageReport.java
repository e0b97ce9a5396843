package dev.nosso.usage;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The figures of the Usage page for a period of UTC days, both ends included: per day (every day of the period,
 * zeros too), per model and per user (most tokens first).
 */
record UsageReport(LocalDate from, LocalDate to, Figures total, List<Day> days, List<ModelFigures> models,
                   List<UserFigures> users) {

    /** Answers and tokens, and the means of latency (null when no answer had one). */
    record Figures(long answers, long promptTokens, long completionTokens, Double meanTimeToFirstTokenMs,
                   Double meanTokensPerSecond) {

        long tokens() {
            return promptTokens + completionTokens;
        }
    }

    record Day(LocalDate day, Figures figures) {
    }

    record ModelFigures(String model, Figures figures) {
    }

    record UserFigures(UUID userId, String email, String name, Figures figures) {
    }
}
