package dev.nosso.usage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** How long a token budget lasts: a calendar day or month in UTC, so that it resets at the same moment for all. */
public enum Period {
    DAY("day"), MONTH("month");

    private final String wire;

    Period(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** @return null for a name that is not a period */
    static Period fromWire(String wire) {
        for (Period period : values()) {
            if (period.wire.equals(wire)) {
                return period;
            }
        }
        return null;
    }

    /** The first day of the period that holds {@code day}. */
    LocalDate start(LocalDate day) {
        return this == DAY ? day : day.withDayOfMonth(1);
    }

    /** The first day of the next period: when the budget resets. */
    LocalDate next(LocalDate day) {
        return this == DAY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
    }

    static long epochMillis(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
