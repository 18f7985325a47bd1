package workshop.scenarios.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.slf4j.LoggerFactory;

/**
 * The module's production classes ({@code src/main/java}, starters or reference, whichever was compiled), imported
 * once per test JVM. Test classes are left out wherever they were compiled to: Maven's {@code target/test-classes},
 * the solutions build's {@code target/solutions/test-classes}, the wrong-answers check's overlay, an IDE's
 * {@code out/test}; so the layout rules' own known-bad fixtures never count as production code. The write-up's
 * examples ({@code workshop.scenarios.examples}) are left out too: they are no scenario.
 */
final class ScenarioClasses {

    /** Every scenario lives below this package. */
    static final String ROOT = "workshop.scenarios";

    static {
        quietArchUnit();
    }

    private static JavaClasses production;
    private static long importMillis;

    private ScenarioClasses() {
    }

    static synchronized JavaClasses production() {
        if (production == null) {
            long start = System.nanoTime();
            production = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("/test-classes/"))
                    // the write-up's examples are no scenario: small programs beside the scenarios, JDK only
                    .withImportOption(location -> !location.contains("/workshop/scenarios/examples/"))
                    .importPackages(ROOT);
            importMillis = (System.nanoTime() - start) / 1_000_000;
        }
        return production;
    }

    /**
     * Keeps ArchUnit's own log (dozens of DEBUG lines per import through Logback, which this module has on its class
     * path) out of the learner's run: its warnings still show.
     */
    static void quietArchUnit() {
        if (LoggerFactory.getLogger("com.tngtech.archunit") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** How long the one import took, for the record. */
    static synchronized long importMillis() {
        return importMillis;
    }
}
