package dev.nosso.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency percentiles in milliseconds from samples in nanoseconds. */
public final class Stats {

    private Stats() {
    }

    public static Map<String, Object> of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("n", sorted.length);
        stats.put("p50_ms", ms(percentile(sorted, 50)));
        stats.put("p90_ms", ms(percentile(sorted, 90)));
        stats.put("p99_ms", ms(percentile(sorted, 99)));
        stats.put("mean_ms", ms((long) Arrays.stream(sorted).average().orElse(0)));
        return stats;
    }

    public static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return ms(percentile(sorted, 50));
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    public static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    public static double ratio(double a, double b) {
        return b == 0 ? 0 : Math.round(a / b * 1000) / 1000.0;
    }
}
