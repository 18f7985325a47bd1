package workshop.scenarios.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaConstructorReference;
import com.tngtech.archunit.core.domain.properties.HasSourceCodeLocation;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout lesson (P-01) as ArchUnit rules, written once and applied to every scenario below a root package
 * ({@code workshop.scenarios} for the module; a fixture's package for the tests that prove each rule bites). A
 * scenario is a package {@code <root>.<scenario>} laid out as:
 * <pre>
 * &lt;root&gt;.&lt;scenario&gt;                Main: the composition root (Go's cmd/), the only class that wires
 * &lt;root&gt;.&lt;scenario&gt;.domain..        records and rules on java.base
 * &lt;root&gt;.&lt;scenario&gt;.application..   use cases and the ports they need
 * &lt;root&gt;.&lt;scenario&gt;.adapter.&lt;name&gt;.. one outside world each (HTTP in, HTTP out, metrics)
 * &lt;root&gt;.&lt;scenario&gt;.downstreams..   simulated downstream servers (demo mode, the lab, tests)
 * &lt;root&gt;.&lt;scenario&gt;.lab..           the load benchmark
 * </pre>
 * A new scenario is covered without editing a rule. Each rule concerns one thing, so that a broken layout is named
 * by the rule about it: the domain's dependencies (1), the application's (2), adapters among themselves (3), who
 * builds adapters and uses the demo servers (4), package cycles (5), scenarios among themselves (6).
 */
public final class LayoutRules {

    /** The workshop's "not solved yet" signal, which the exercises' stubs throw in any layer. */
    private static final String NOT_SOLVED_YET = "workshop.support.NotSolvedYet";

    /** One rule: what it says, why (quoted in its failure), and what to do when it is broken. */
    public record LayoutRule(int number, String title, ArchRule rule, String advice) {

        /** The rule's failure as a teaching message for {@code scenarios} below {@code root}, if it is broken. */
        public Optional<String> failure(String root, JavaClasses scenarios) {
            EvaluationResult result = rule.evaluate(scenarios);
            if (!result.hasViolation()) {
                return Optional.empty();
            }
            Violations violations = new Violations(root);
            result.handleViolations((Collection<Object> objects, String message) -> violations.add(objects, message));
            return Optional.of("[06.1] rule " + number + ", " + title + ", is broken by " + violations.classes()
                    + ":\n" + violations.lines() + "  Why: " + because() + ".\n  What to do: " + advice
                    + " (README 06.1)");
        }

        private String because() {
            String description = rule.getDescription();
            int at = description.indexOf(", because ");
            return at < 0 ? description : description.substring(at + ", because ".length());
        }
    }

    private LayoutRules() {
    }

    /** The six rules for every scenario below {@code root}, in order. */
    public static List<LayoutRule> forRoot(String root) {
        return List.of(pureDomain(root), applicationSeesOnlyTheDomain(root), adaptersApart(root),
                wiringOnlyInMain(root), noCycles(root), scenariosApart(root));
    }

    // tag::pure-domain[]
    /** Rule 1: the domain depends on nothing outside itself and a part of java.base with no I/O, threads or clock. */
    static LayoutRule pureDomain(String root) {
        ArchRule rule = classes().that().resideInAPackage(root + ".*.domain..")
                .should().onlyDependOnClassesThat(resideInAnyPackage(root + ".*.domain..")
                        .or(pureJavaBase()).or(notSolvedYet()))
                .andShould(notReadTheClock())
                .because("the domain is what the service is about and must stay true whatever it talks to: "
                        + "records and rules on java.lang, java.util, java.time, java.math and java.text, with no I/O "
                        + "(java.io, java.nio, java.net, java.net.http, java.sql), no threads and no clock reads "
                        + "(java.util.concurrent, Thread, System, Clock, now()) and no library; what it needs from "
                        + "outside arrives as values, which the application gets through a port")
                .allowEmptyShould(true);
        return new LayoutRule(1, "the domain is pure", rule, "declare the port the domain's caller needs in the "
                + "scenario's application package (an interface in the use case's terms), move the I/O into an "
                + "adapter that implements it, and hand the domain plain values");
    }
    // end::pure-domain[]

    /** Rule 2: the application sees itself, the domain and java.base without I/O; no adapter, Main or library. */
    static LayoutRule applicationSeesOnlyTheDomain(String root) {
        ArchRule rule = classes().that().resideInAPackage(root + ".*.application..")
                .should().onlyDependOnClassesThat(resideInAnyPackage(root + ".*.application..", root + ".*.domain..",
                        "java.lang..", "java.util..", "java.time..", "java.math..", "java.text..")
                        .or(notSolvedYet()))
                .because("a use case states what it needs as ports, interfaces declared beside it, and calls them; "
                        + "which adapter implements a port and over which transport (HTTP, JSON, metrics, logs) is "
                        + "Main's choice, so the application depends on itself, the domain and java.base (threads and "
                        + "java.util.concurrent included), never on an adapter, Main, the lab, a simulated downstream, "
                        + "java.net, java.io, java.nio or a library")
                .allowEmptyShould(true);
        return new LayoutRule(2, "the application sees only the domain", rule, "take the port (an interface of "
                + "the application package) in the constructor instead of the adapter or the client, move the "
                + "transport code into the adapter, and let Main create the adapter");
    }

    // tag::adapters-apart[]
    /** Rule 3: adapters do not see each other. */
    static LayoutRule adaptersApart(String root) {
        ArchRule rule = slices().matching(root + ".(*).adapter.(*)..").namingSlices("$1.adapter.$2")
                .should().notDependOnEachOther()
                .because("each adapter translates one outside world (HTTP in, HTTP out, metrics) to the ports; when "
                        + "one needs another's work, Main passes it in as a port or a plain function (web gets a "
                        + "Supplier<String> for /metrics), so that each adapter can be replaced and tested alone")
                .allowEmptyShould(true);
        return new LayoutRule(3, "adapters do not know each other", rule, "depend on the port the other adapter "
                + "implements (or on a java.util.function type) and let Main pass the other adapter in");
    }
    // end::adapters-apart[]

    /** Rule 4: only the composition root (and the lab, and the demo servers) builds adapters and uses the demos. */
    static LayoutRule wiringOnlyInMain(String root) {
        ArchRule rule = classes().that().resideInAPackage(root + ".*..")
                .should(onlyTheCompositionRootWires(root))
                .because("choosing and building the implementations is the composition root's one job (Go's cmd/): "
                        + "only a scenario's root package (Main), its lab and its simulated downstreams create "
                        + "adapters or use the simulated downstreams and the lab; every other class receives ports, "
                        + "so that the whole wiring is in one place")
                .allowEmptyShould(true);
        return new LayoutRule(4, "only Main wires", rule, "receive the port in a constructor and move the `new` "
                + "of the adapter into the scenario's Main");
    }

    // tag::no-cycles[]
    /** Rule 5: no package cycles (a use case and its adapter that know each other are one). */
    static LayoutRule noCycles(String root) {
        ArchRule rule = slices().matching(root + ".(**)").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("packages that depend on each other can only be understood, tested and replaced together: "
                        + "dependencies point inward (Main -> adapters -> application -> domain), never back, so a "
                        + "use case and its adapter do not become one piece again")
                .allowEmptyShould(true);
        return new LayoutRule(5, "no package cycles", rule, "find the dependency that points outward (an inner "
                + "package calling a static or reading a constant of an outer one, a use case creating its adapter) "
                + "and invert it: move the value inward, or put a port between them");
    }
    // end::no-cycles[]

    /** Rule 6: no scenario reaches into another. */
    static LayoutRule scenariosApart(String root) {
        ArchRule rule = slices().matching(root + ".(*)..").namingSlices("$1")
                .should().notDependOnEachOther()
                .because("each scenario is a service of its own, as a Go program keeps its code in its own "
                        + "internal/: a class shared between two scenarios couples two deployments, so a type both "
                        + "need is each one's own (or a library both depend on), never imported from the other's tree")
                .allowEmptyShould(true);
        return new LayoutRule(6, "no scenario reaches into another", rule, "give this scenario its own type "
                + "for what it took from the other one");
    }

    /** The part of java.base a domain may use: values and collections, no I/O, no threads, no clock. */
    private static DescribedPredicate<JavaClass> pureJavaBase() {
        return resideInAnyPackage("java.lang..", "java.util..", "java.time..", "java.math..", "java.text..")
                .and(not(resideInAnyPackage("java.util.concurrent..", "java.lang.reflect..", "java.lang.foreign..")))
                .and(not(JavaClass.Predicates.belongToAnyOf(Thread.class, ThreadLocal.class, System.class,
                        Runtime.class, ProcessBuilder.class, Process.class, java.time.Clock.class,
                        java.time.InstantSource.class)))
                .as("java.base without I/O, threads or clocks");
    }

    private static DescribedPredicate<JavaClass> notSolvedYet() {
        return DescribedPredicate.describe("the workshop's NotSolvedYet",
                (JavaClass type) -> type.getName().equals(NOT_SOLVED_YET));
    }

    private static ArchCondition<JavaClass> notReadTheClock() {
        return new ArchCondition<>("not read the clock") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                item.getMethodCallsFromSelf().stream()
                        .filter(call -> call.getTargetOwner().getPackageName().startsWith("java.time")
                                && call.getName().equals("now"))
                        .forEach(call -> events.add(SimpleConditionEvent.violated(call, call.getDescription())));
            }
        };
    }

    /** Where a class sits in its scenario. */
    private enum Place { ROOT, LAB, DOWNSTREAMS, ADAPTER, OTHER }

    private static Place placeOf(String root, JavaClass type) {
        String rest = type.getPackageName().startsWith(root + ".")
                ? type.getPackageName().substring(root.length() + 1) : null;
        if (rest == null) {
            return Place.OTHER;
        }
        String[] parts = rest.split("\\.");
        if (parts.length == 1) {
            return Place.ROOT;
        }
        return switch (parts[1]) {
            case "lab" -> Place.LAB;
            case "downstreams" -> Place.DOWNSTREAMS;
            case "adapter" -> Place.ADAPTER;
            default -> Place.OTHER;
        };
    }

    /** {@code <scenario>.adapter.<name>} of an adapter class. */
    private static String adapterOf(String root, JavaClass type) {
        String[] parts = type.getPackageName().substring(root.length() + 1).split("\\.");
        return parts.length > 2 ? parts[0] + ".adapter." + parts[2] : parts[0] + ".adapter";
    }

    private static ArchCondition<JavaClass> onlyTheCompositionRootWires(String root) {
        return new ArchCondition<>("create adapters and use the lab and the simulated downstreams only in the "
                + "composition root") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                Place origin = placeOf(root, item);
                if (origin == Place.ROOT || origin == Place.LAB || origin == Place.DOWNSTREAMS) {
                    return;
                }
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    Place target = placeOf(root, dependency.getTargetClass());
                    if ((target == Place.LAB || target == Place.DOWNSTREAMS)
                            && dependency.getTargetClass().getPackageName().startsWith(root + ".")) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
                Stream.concat(item.getConstructorCallsFromSelf().stream(),
                                item.getConstructorReferencesFromSelf().stream())
                        .filter(access -> placeOf(root, access.getTargetOwner()) == Place.ADAPTER)
                        .filter(access -> origin != Place.ADAPTER
                                || !adapterOf(root, item).equals(adapterOf(root, access.getTargetOwner())))
                        .forEach(access -> events.add(SimpleConditionEvent.violated(access,
                                access.getDescription())));
            }
        };
    }

    /** The violations of one rule, grouped by the class that breaks it, with names shortened below the root. */
    private static final class Violations {
        private final String root;
        private final Map<String, Set<String>> targets = new TreeMap<>();
        private final Map<String, String> where = new TreeMap<>();
        private static final Pattern CLASS_NAME = Pattern.compile(
                "(?:Method|Constructor|Field|Class|Static Initializer) <([a-z]\\w*(?:\\.[a-z]\\w*)*\\.[A-Z][\\w$]*)");
        private final List<String> other = new ArrayList<>();

        Violations(String root) {
            this.root = root + ".";
        }

        void add(Collection<Object> objects, String message) {
            boolean grouped = false;
            for (Object object : objects) {
                if (object instanceof Dependency d) {
                    add(d.getOriginClass(), topLevel(d.getTargetClass().getName()), d);
                    grouped = true;
                } else if (object instanceof JavaAccess<?> a) {
                    add(a.getOriginOwner(), describe(a), a);
                    grouped = true;
                }
            }
            if (!grouped) {
                other.add(message.lines().limit(12).map(this::shorten).reduce((a, b) -> a + "\n      " + b)
                        .orElse(""));
            }
        }

        private static String describe(JavaAccess<?> access) {
            String owner = access.getTargetOwner().getName();
            return access instanceof JavaConstructorCall || access instanceof JavaConstructorReference
                    ? "new " + owner + "(..)" : owner + "." + access.getName() + "()";
        }

        private void add(JavaClass origin, String target, HasSourceCodeLocation location) {
            String from = shorten(topLevel(origin.getName()));
            targets.computeIfAbsent(from, k -> new TreeSet<>()).add(shorten(target));
            String here = location.getSourceCodeLocation().toString();
            String before = where.get(from);
            if (before == null || before.endsWith(":0)") && !here.endsWith(":0)")) {
                where.put(from, here);
            }
        }

        String classes() {
            Set<String> names = new TreeSet<>(targets.keySet());
            for (String line : other) {
                Matcher name = CLASS_NAME.matcher(line);
                while (name.find()) {
                    names.add(topLevel(name.group(1)));
                }
            }
            return names.isEmpty() ? "a package cycle" : String.join(", ", names);
        }

        String lines() {
            StringBuilder out = new StringBuilder();
            targets.forEach((from, to) -> out.append("  - ").append(from).append(" uses ")
                    .append(String.join(", ", to)).append(' ').append(where.get(from)).append('\n'));
            other.forEach(line -> out.append("  - ").append(line).append('\n'));
            return out.toString();
        }

        private String shorten(String text) {
            return text.replace(root, "");
        }

        private static String topLevel(String name) {
            int dollar = name.indexOf('$');
            return dollar < 0 ? name : name.substring(0, dollar);
        }
    }
}
