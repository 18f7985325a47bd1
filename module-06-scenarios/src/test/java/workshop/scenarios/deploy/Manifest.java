package workshop.scenarios.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.fail;

/**
 * The Kubernetes manifest of 06.21, read from the classpath as the API server would read it: its documents by kind,
 * each field with the default the API server gives it when it is absent, and every missing field that has no
 * default a test failure that names it (never a {@code NullPointerException}).
 *
 * @param documents the YAML documents of the file, in order
 */
record Manifest(List<JsonNode> documents) {

    /** Where the build puts the exercise's manifest ({@code k8s/catalog.yaml} beside the deploy scenario's sources). */
    static final String RESOURCE = "/workshop/scenarios/deploy/k8s/catalog.yaml";

    /** Kubernetes' defaults of the fields the tests read (API reference, Deployment, Pod and Probe specs). */
    static final int DEFAULT_GRACE_SECONDS = 30;
    static final int DEFAULT_PERIOD_SECONDS = 10;
    static final int DEFAULT_FAILURE_THRESHOLD = 3;

    static Manifest load() {
        try (InputStream in = Manifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return fail("[06.21] the manifest %s is not on the classpath: is k8s/catalog.yaml still beside the "
                        + "deploy scenario's sources? (README 06.21)", RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()
                    .stream().filter(d -> d != null && d.isObject()).toList();
            return new Manifest(documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one document of that kind, or empty; two of a kind fail (the tests would not know which one is meant). */
    Optional<JsonNode> find(String kind) {
        List<JsonNode> found = documents.stream().filter(d -> d.path("kind").asString("").equals(kind)).toList();
        if (found.size() > 1) {
            fail("[06.21] the manifest holds %d documents of kind %s; keep one (README 06.21)", found.size(), kind);
        }
        return found.stream().findFirst();
    }

    /** The one document of that kind; its absence fails with {@code why} it is needed. */
    JsonNode the(String kind, String why) {
        return find(kind).orElseGet(() -> fail("[06.21] the manifest holds no %s: %s (README 06.21)", kind, why));
    }

    JsonNode deployment() {
        return the("Deployment", "nothing runs the service");
    }

    /** The Deployment's pod template's one container (the service). */
    JsonNode container() {
        JsonNode containers = deployment().path("spec").path("template").path("spec").path("containers");
        if (!containers.isArray() || containers.size() != 1) {
            return fail("[06.21] the Deployment's pod template should have exactly one container, the catalog "
                    + "service, but has %d (README 06.21)", containers.isArray() ? containers.size() : 0);
        }
        return containers.get(0);
    }

    /** The pod template's labels. */
    Map<String, String> podLabels() {
        return strings(deployment().path("spec").path("template").path("metadata").path("labels"));
    }

    /** The port the service listens on: its {@code --port} argument. */
    int servicePort() {
        List<String> args = container().path("args").values().stream().map(JsonNode::asString).toList();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--port") && i + 1 < args.size()) {
                return Integer.parseInt(args.get(i + 1));
            }
            if (args.get(i).startsWith("--port=")) {
                return Integer.parseInt(args.get(i).substring("--port=".length()));
            }
        }
        return fail("[06.21] the container's args do not set --port: the probes and the Service cannot be checked "
                + "against the port the service listens on (README 06.21)");
    }

    /**
     * The service's own setting {@code --name <millis>} in the container's args, in seconds (rounded up), or
     * {@code otherwise} when it is not set (Main's default).
     */
    long argSeconds(String name, long otherwise) {
        List<String> args = container().path("args").values().stream().map(JsonNode::asString).toList();
        for (int i = 0; i < args.size(); i++) {
            String value = args.get(i).equals(name) && i + 1 < args.size() ? args.get(i + 1)
                    : args.get(i).startsWith(name + "=") ? args.get(i).substring(name.length() + 1) : null;
            if (value != null) {
                return (Long.parseLong(value) + 999) / 1000;
            }
        }
        return otherwise;
    }

    /**
     * The container port that a probe's or a Service's port means: a number as it is, a name as the container's
     * port of that name; empty if the name is not declared.
     */
    Optional<Integer> resolvePort(JsonNode port) {
        if (port.isIntegralNumber()) {
            return Optional.of(port.asInt());
        }
        String name = port.asString("");
        return container().path("ports").values().stream()
                .filter(p -> p.path("name").asString("").equals(name))
                .map(p -> p.path("containerPort").asInt(-1))
                .findFirst();
    }

    /** An int-or-percentage field ({@code 1}, {@code "25%"}). */
    record IntOrPercent(int value, boolean percent) {

        static Optional<IntOrPercent> of(JsonNode node) {
            if (node.isIntegralNumber()) {
                return Optional.of(new IntOrPercent(node.asInt(), false));
            }
            String text = node.asString("").strip();
            if (text.matches("\\d+%")) {
                return Optional.of(new IntOrPercent(Integer.parseInt(text.substring(0, text.length() - 1)), true));
            }
            if (text.matches("\\d+")) {
                return Optional.of(new IntOrPercent(Integer.parseInt(text), false));
            }
            return Optional.empty();
        }

        /** Pods for {@code replicas}: a percentage rounded up or down, as the controller in question rounds it. */
        int pods(int replicas, boolean roundUp) {
            if (!percent) {
                return value;
            }
            return roundUp ? (value * replicas + 99) / 100 : value * replicas / 100;
        }

        @Override
        public String toString() {
            return percent ? value + "%" : Integer.toString(value);
        }
    }

    /** The selector {@code labels} selects pods labelled {@code podLabels}: each of its labels is one of theirs. */
    static boolean selects(Map<String, String> selector, Map<String, String> podLabels) {
        return !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }

    static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new TreeMap<>();
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }

    static int intOr(JsonNode node, int otherwise) {
        return node.isMissingNode() || node.isNull() ? otherwise : node.asInt();
    }
}
