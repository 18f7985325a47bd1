package workshop.scenarios.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.scenarios.architecture.LayoutRules.LayoutRule;

/**
 * Machinery, not an exercise: proves that each layout rule bites. Each fixture package below
 * {@code workshop.scenarios.architecture.fixtures} is a root with small scenarios that break exactly one rule; the
 * rule must fail on it and name the class that breaks it, and every other rule must pass on it, so that each
 * fixture stays precise and each rule's message is the one a learner sees for that mistake.
 *
 * <p>Tagged {@code machinery}: they pass on starters and references alike, and the starter check expects just that.
 */
@Tag("machinery")
@DisplayName("06.1 machinery: each layout rule bites on its known-bad fixture")
class LayoutRulesBiteTest {

    private static final String FIXTURES = "workshop.scenarios.architecture.fixtures.";

    private static JavaClasses fixture(String name) {
        ScenarioClasses.quietArchUnit();
        JavaClasses classes = new ClassFileImporter().importPackages(FIXTURES + name);
        assertThat(classes).as("fixture %s imported no class", name).isNotEmpty();
        return classes;
    }

    @ParameterizedTest(name = "rule {1} fails on fixture {0}, naming {2}; every other rule passes")
    @CsvSource({
            "domainio,           1, shop.domain.Pricing,                 java.net.http.HttpClient",
            "domainclock,        1, shop.domain.Offer,                   java.time.Instant.now()",
            "applicationadapter, 2, shop.application.Checkout,           shop.adapter.web.CheckoutEndpoint",
            "adaptersknow,       3, shop.adapter.web.MetricsEndpoint,    shop.adapter.metrics.Meters",
            "wiring,             4, shop.config.Wiring,                  shop.adapter.db.OrderTable",
            "demoserver,         4, shop.adapter.web.StockEndpoint,      shop.downstreams.FakeInventory",
            "cycle,              5, shop.domain.catalog.Item,            shop.domain.pricing.Discount",
            "crossscenario,      6, billing.application.Invoicing,       shop.domain.Amount",
    })
    void eachRuleBitesOnItsFixtureAndOnlyThere(String name, int broken, String violator, String violated) {
        String root = FIXTURES + name;
        JavaClasses classes = fixture(name);
        for (LayoutRule rule : LayoutRules.forRoot(root)) {
            Optional<String> failure = rule.failure(root, classes);
            if (rule.number() == broken) {
                assertThat(failure).as("rule %d (%s) must fail on fixture %s", broken, rule.title(), name)
                        .isPresent();
                assertThat(failure.orElseThrow())
                        .as("rule %d's failure names the class that breaks it", broken)
                        .startsWith("[06.1] rule " + broken + ", " + rule.title())
                        .contains("is broken by " + violator)
                        .contains(violated)
                        .contains("Why: ")
                        .contains("What to do: ")
                        .endsWith("(README 06.1)")
                        .doesNotContain(root + ".");
            } else {
                assertThat(failure).as("rule %d (%s) must pass on fixture %s, which breaks only rule %d",
                        rule.number(), rule.title(), name, broken).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("rule 5 reports a cycle between a use case and its adapter, naming both")
    void aUseCaseAdapterCycleIsReported() {
        String root = FIXTURES + "usecasecycle";
        Optional<String> failure = LayoutRules.noCycles(root).failure(root, fixture("usecasecycle"));
        assertThat(failure).isPresent();
        assertThat(failure.orElseThrow())
                .contains("shop.application.Orders", "shop.adapter.db.OrderTable")
                .contains("Cycle detected")
                .contains("Orders.java:", "OrderTable.java:");
    }

    @Test
    @DisplayName("the production import holds the scenarios and no test class, so fixtures never count as production")
    void theProductionImportLeavesOutTests() {
        JavaClasses production = ScenarioClasses.production();
        assertThat(production.stream().map(c -> c.getPackageName()))
                .as("scenarios in the production import")
                .anyMatch(p -> p.startsWith("workshop.scenarios.exchange"))
                .anyMatch(p -> p.startsWith("workshop.scenarios.aggregation"))
                .noneMatch(p -> p.startsWith("workshop.scenarios.architecture"));
        assertThat(production.stream().map(c -> c.getName()))
                .noneMatch(n -> n.endsWith("Test"));
    }

    @Test
    @DisplayName("the rules are generic: a scenario with a new name is covered without editing them")
    void aNewScenarioIsCovered() {
        List<LayoutRule> rules = LayoutRules.forRoot(FIXTURES + "domainio");
        assertThat(rules).extracting(LayoutRule::number).containsExactly(1, 2, 3, 4, 5, 6);
        // the fixtures' scenarios are called shop and billing, never mentioned by the rules
        assertThat(rules.getFirst().failure(FIXTURES + "domainio", fixture("domainio"))).isPresent();
    }
}
