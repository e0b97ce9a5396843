package dev.nosso.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Vaswani test collection (abstracts on physics, questions about them, and which abstracts answer which),
 * read from {@code ../shared/datasets/vaswani} or {@code -Ddataset=...}. Texts have their runs of white space
 * made single spaces; documents and queries are in the order of their numbers.
 *
 * @param docs    abstract number to text
 * @param queries query number to text
 * @param qrels   query number to the numbers of the abstracts judged relevant
 */
public record Vaswani(Map<String, String> docs, Map<String, String> queries, Map<String, Set<String>> qrels) {

    private static final Pattern DOC = Pattern.compile("<DOC>\\s*<DOCNO>\\s*(\\d+)\\s*</DOCNO>(.*?)</DOC>", Pattern.DOTALL);
    private static final Pattern QUERY = Pattern.compile("<num>\\s*(\\d+)\\s*</num>\\s*<title>(.*?)</title>", Pattern.DOTALL);

    public static Vaswani load() throws IOException {
        Path dataset = Path.of(System.getProperty("dataset", "../shared/datasets/vaswani"));
        return new Vaswani(parse(DOC, Files.readString(dataset.resolve("doc-text.trec"))),
                parse(QUERY, Files.readString(dataset.resolve("query-text.trec"))),
                qrels(dataset.resolve("qrels")));
    }

    private static Map<String, String> parse(Pattern pattern, String text) {
        Map<String, String> records = new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            records.put(m.group(1), m.group(2).strip().replaceAll("\\s+", " "));
        }
        return records;
    }

    private static Map<String, Set<String>> qrels(Path file) throws IOException {
        Map<String, Set<String>> qrels = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && !f[3].equals("0")) {
                qrels.computeIfAbsent(f[0], q -> new HashSet<>()).add(f[2]);
            }
        }
        return qrels;
    }
}
