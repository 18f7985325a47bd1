package workshop.scenarios.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.TimeLimit;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static workshop.scenarios.architecture.LayoutRules.LayoutRule;

/**
 * The layout rules (P-01) on every scenario of the module: each test checks the rules that one move of the
 * exercise fixes, and its failure names the rule, the classes that break it, why the rule holds and what to do.
 *
 * <p>The module's classes are imported once, before the tests: the first import loads ArchUnit itself and takes
 * a second or more on a loaded machine (several on two busy cores); the rules then take milliseconds each.
 */
@Tag("06.1")
@DisplayName("06.1 Ports and adapters, enforced")
@TimeLimit(seconds = 30) // the first rule evaluated loads the rest of ArchUnit: seconds on two busy cores
class LayoutRulesTest {

    private static final String ROOT = ScenarioClasses.ROOT;

    @BeforeAll
    static void importTheScenarios() {
        ScenarioClasses.production();
    }

    private static void assertHold(LayoutRule... rules) {
        JavaClasses scenarios = ScenarioClasses.production();
        assertThat(scenarios).as("[06.1] no class below %s was imported: the layout rules would check nothing", ROOT)
                .isNotEmpty();
        List<String> failures = List.of(rules).stream()
                .map(rule -> rule.failure(ROOT, scenarios))
                .flatMap(Optional::stream)
                .toList();
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    @Test
    @DisplayName("the domain depends on nothing outside itself and java.base: no I/O, no threads, no clock, no library")
    void theDomainIsPure() {
        assertHold(LayoutRules.pureDomain(ROOT));
    }

    @Test
    @DisplayName("the application layer sees itself, the domain and java.base: no adapter, no Main, no transport")
    void theApplicationSeesOnlyTheDomain() {
        assertHold(LayoutRules.applicationSeesOnlyTheDomain(ROOT));
    }

    @Test
    @DisplayName("only Main creates adapters, and adapters do not know each other")
    void onlyMainWiresAndAdaptersStayApart() {
        assertHold(LayoutRules.wiringOnlyInMain(ROOT), LayoutRules.adaptersApart(ROOT));
    }

    @Test
    @DisplayName("no package cycles, and no scenario reaches into another")
    void noCyclesAndScenariosStayApart() {
        assertHold(LayoutRules.noCycles(ROOT), LayoutRules.scenariosApart(ROOT));
    }
}
