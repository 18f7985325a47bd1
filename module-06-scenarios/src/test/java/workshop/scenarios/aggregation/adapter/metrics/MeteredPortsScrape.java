package workshop.scenarios.aggregation.adapter.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text-format scrape (version 0.0.4), parsed into samples, so that tests read values by name and
 * labels instead of comparing text. Comments ({@code # HELP}, {@code # TYPE}) are skipped. (06.8's test helper; the
 * service's smoke test reads {@code /metrics} with it too.)
 */
record MeteredPortsScrape(List<Sample> samples) {

    /** One line: {@code name{label="value",...} 1.0}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static MeteredPortsScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            String value = m.group(3);
            double v = switch (value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(value);
            };
            samples.add(new Sample(m.group(1), Map.copyOf(labels), v));
        }
        return new MeteredPortsScrape(List.copyOf(samples));
    }

    /** The value of the sample with exactly these labels, or {@code null} if there is none. */
    Double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .map(Sample::value).findFirst().orElse(null);
    }

    /** The value of the bucket {@code le} of the series with these labels (besides {@code le}). */
    Double bucket(String name, Map<String, String> labels, String le) {
        Map<String, String> withLe = new TreeMap<>(labels);
        withLe.put("le", le);
        return value(name, withLe);
    }

    /** The sum of every sample of {@code name}, whatever its labels. */
    double sum(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    /** The values a label takes among the samples of {@code name}. */
    Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
                .forEach(s -> values.add(s.labels().get(label)));
        return values;
    }

    /** The samples of {@code name} summed by one label's value: {@code {ok=1.0, failed=0.0}}. */
    Map<String, Double> byLabel(String name, String label) {
        Map<String, Double> sums = new LinkedHashMap<>();
        samples.stream().filter(s -> s.name().equals(name))
                .forEach(s -> sums.merge(Objects.toString(s.labels().get(label)), s.value(), Double::sum));
        return sums;
    }

    /** The sample names in the scrape. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Every series: a name with its labels, {@code le} and {@code quantile} included. */
    Set<String> series() {
        Set<String> series = new TreeSet<>();
        samples.forEach(s -> series.add(s.name() + new TreeMap<>(s.labels())));
        return series;
    }
}
