package dev.nosso.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads, from Linux's /proc, grouped by thread name without its number
 * ("nosso-job-worker-0" and "-1" are one group). Native threads count too, such as ONNX Runtime's, which the
 * JVM's own thread accounting never sees. A local PostgreSQL server's processes are counted apart, as
 * "postgresql server": they share the cores with this process. Linux only; elsewhere the snapshot is empty.
 */
public final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ: 100 on every Linux this runs on

    private final Map<String, Long> ticksByThread; // by tid/name, so a thread that ends is simply absent
    private final long processTicks;
    private final Map<String, Long> postgresTicks; // by pid, so a backend that ends is simply absent

    private ThreadCpu(Map<String, Long> ticksByThread, long processTicks, Map<String, Long> postgresTicks) {
        this.ticksByThread = ticksByThread;
        this.processTicks = processTicks;
        this.postgresTicks = postgresTicks;
    }

    public static ThreadCpu now() {
        Map<String, Long> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                String[] stat = read(task.resolve("stat"));
                if (stat != null) {
                    threads.put(task.getFileName() + "/" + stat[0], Long.parseLong(stat[12]) + Long.parseLong(stat[13]));
                }
            });
        } catch (IOException e) {
            return new ThreadCpu(Map.of(), 0, Map.of());
        }
        String[] process = read(Path.of("/proc/self/stat"));
        long total = process == null ? 0 : Long.parseLong(process[12]) + Long.parseLong(process[13]);
        return new ThreadCpu(threads, total, postgres());
    }

    private static Map<String, Long> postgres() {
        Map<String, Long> processes = new HashMap<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String[] stat = read(p.resolve("stat"));
                if (stat != null && stat[0].equals("postgres")) {
                    processes.put(p.getFileName().toString(), Long.parseLong(stat[12]) + Long.parseLong(stat[13]));
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return processes;
    }

    /**
     * CPU seconds spent since {@code before}, by thread group, largest first; threads that ended meanwhile
     * are under "ended threads" (the process total minus the live threads).
     */
    public Map<String, Double> since(ThreadCpu before) {
        Map<String, Long> groups = new TreeMap<>();
        long live = 0;
        for (Map.Entry<String, Long> e : ticksByThread.entrySet()) {
            long spent = e.getValue() - before.ticksByThread.getOrDefault(e.getKey(), 0L);
            live += spent;
            String name = e.getKey().substring(e.getKey().indexOf('/') + 1).replaceAll("[-_#]?\\d+$", "");
            groups.merge(name, spent, Long::sum);
        }
        groups.put("ended threads", Math.max(0, processTicks - before.processTicks - live));
        long database = 0;
        for (Map.Entry<String, Long> e : postgresTicks.entrySet()) {
            database += e.getValue() - before.postgresTicks.getOrDefault(e.getKey(), 0L);
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("process", (processTicks - before.processTicks) / TICKS_PER_SECOND);
        if (database > 0) {
            seconds.put("postgresql server", database / TICKS_PER_SECOND);
        }
        groups.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> seconds.put(e.getKey(), e.getValue() / TICKS_PER_SECOND));
        return seconds;
    }

    // The fields after the name, which is in parentheses and may hold spaces; [0] is the name itself, so
    // utime and stime (fields 14 and 15 of proc(5)) are [12] and [13].
    private static String[] read(Path stat) {
        try {
            String line = Files.readString(stat);
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] rest = line.substring(close + 2).split(" ");
            String[] fields = new String[rest.length + 1];
            fields[0] = line.substring(open + 1, close);
            System.arraycopy(rest, 0, fields, 1, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null; // the thread ended while being read
        }
    }
}
