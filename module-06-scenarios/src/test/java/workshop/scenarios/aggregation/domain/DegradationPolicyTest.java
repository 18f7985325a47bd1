package workshop.scenarios.aggregation.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@Tag("06.2")
@DisplayName("06.2 The degradation policy")
class DegradationPolicyTest {

    private static final ProductId ID = new ProductId("p-1");
    private static final Stock STOCK = new Stock(12, "AMS");
    private static final Price PRICE = new Price(1999, "EUR");
    private static final ReviewSummary REVIEWS = new ReviewSummary(4.5, 120);
    private static final Recommendations RECOMMENDATIONS =
            new Recommendations(List.of(new ProductId("p-2"), new ProductId("p-3")));
    private static final String WHY = "503 Service Unavailable";

    private final DegradationPolicy policy = new DegradationPolicy();

    /** What a downstream call came to, in the table's words. */
    enum Got {
        OK, NOT_FOUND, FAILED, LATE;

        <T> Outcome<T> of(T value) {
            return switch (this) {
                case OK -> new Outcome.Ok<>(value);
                case NOT_FOUND -> new Outcome.NotFound<>();
                case FAILED -> new Outcome.Failed<>(WHY);
                case LATE -> new Outcome.Late<>();
            };
        }

        /** The failure a required part with this outcome forces, or null. */
        FailureKind failsAs() {
            return switch (this) {
                case OK -> null;
                case NOT_FOUND -> FailureKind.NOT_FOUND;
                case FAILED -> FailureKind.UNAVAILABLE;
                case LATE -> FailureKind.TIMED_OUT;
            };
        }

        /** What a reason must say of a part with this outcome. */
        String said() {
            return switch (this) {
                case OK -> "";
                case NOT_FOUND -> "not found";
                case FAILED -> "failed";
                case LATE -> "late";
            };
        }
    }

    /** Every combination of the two required parts, with the optional ones answering. */
    static Stream<Arguments> requiredParts() {
        List<Arguments> rows = new ArrayList<>();
        for (Got inventory : Got.values()) {
            for (Got pricing : Got.values()) {
                Part decides = inventory != Got.OK ? Part.INVENTORY : pricing != Got.OK ? Part.PRICING : null;
                FailureKind kind = decides == null ? null : (decides == Part.INVENTORY ? inventory : pricing).failsAs();
                rows.add(arguments(inventory, pricing, kind, decides,
                        kind == null ? "a page" : "Fail(" + kind + ", " + decides.label() + ")"));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "inventory {0}, pricing {1} -> {4}")
    @MethodSource("requiredParts")
    @DisplayName("a required part that is not Ok fails the page; when both are not, the inventory decides")
    void requiredParts(Got inventory, Got pricing, FailureKind kind, Part decides, String expected) {
        String combination = "inventory " + inventory + ", pricing " + pricing + " (reviews and recommendations Ok)";
        PageDecision decision = policy.decide(ID, inventory.of(STOCK), pricing.of(PRICE), Got.OK.of(REVIEWS),
                Got.OK.of(RECOMMENDATIONS));
        if (kind == null) {
            assertThat(decision).as("[06.2] %s: expected a page served, not degraded, but got %s (README 06.2)",
                    combination, decision).isEqualTo(new PageDecision.Serve(new ProductPage(ID, STOCK, PRICE,
                    Optional.of(REVIEWS), Optional.of(RECOMMENDATIONS), Set.of())));
            return;
        }
        String rule = inventory != Got.OK && pricing != Got.OK
                ? "when both required parts are not Ok, the first in Part order (the inventory) decides"
                : "a required part " + (decides == Part.INVENTORY ? inventory : pricing) + " fails the page as "
                  + kind + " (NotFound -> NOT_FOUND, Failed -> UNAVAILABLE, Late -> TIMED_OUT)";
        assertThat(decision).as("[06.2] %s: expected Fail(%s, %s): %s; but got %s (README 06.2)", combination, kind,
                decides.label(), rule, decision).isInstanceOf(PageDecision.Fail.class);
        PageDecision.Fail fail = (PageDecision.Fail) decision;
        assertThat(List.of(fail.kind(), fail.part())).as("[06.2] %s: expected Fail(%s, %s): %s; but got %s "
                + "(README 06.2)", combination, kind, decides.label(), rule, decision).containsExactly(kind, decides);
        Got outcome = decides == Part.INVENTORY ? inventory : pricing;
        assertThat(fail.reason()).as("[06.2] %s: the reason \"%s\" should start with the part's label \"%s\" and "
                        + "say \"%s\"%s (README 06.2)", combination, fail.reason(), decides.label(), outcome.said(),
                        outcome == Got.FAILED ? " with the downstream's reason \"" + WHY + "\"" : "")
                .startsWith(decides.label()).contains(outcome.said())
                .contains(outcome == Got.FAILED ? WHY : outcome.said());
    }

    /** Every combination of the two optional parts, with the required ones answering. */
    static Stream<Arguments> optionalParts() {
        List<Arguments> rows = new ArrayList<>();
        for (Got reviews : Got.values()) {
            for (Got recommendations : Got.values()) {
                Set<Part> omitted = EnumSet.noneOf(Part.class);
                if (reviews == Got.FAILED || reviews == Got.LATE) {
                    omitted.add(Part.REVIEWS);
                }
                if (recommendations == Got.FAILED || recommendations == Got.LATE) {
                    omitted.add(Part.RECOMMENDATIONS);
                }
                rows.add(arguments(reviews, recommendations, omitted));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "reviews {0}, recommendations {1} -> served, omitted {2}")
    @MethodSource("optionalParts")
    @DisplayName("an optional part never fails the page: a failed or late one is omitted (degraded), a missing one "
                 + "is not")
    void optionalParts(Got reviews, Got recommendations, Set<Part> omitted) {
        String combination = "inventory OK, pricing OK, reviews " + reviews + ", recommendations " + recommendations;
        PageDecision decision = policy.decide(ID, Got.OK.of(STOCK), Got.OK.of(PRICE), reviews.of(REVIEWS),
                recommendations.of(RECOMMENDATIONS));
        assertThat(decision).as("[06.2] %s: expected a page served (an optional part never fails the page), but got "
                + "%s (README 06.2)", combination, decision).isInstanceOf(PageDecision.Serve.class);
        ProductPage page = ((PageDecision.Serve) decision).page();
        assertThat(page.omitted()).as("[06.2] %s: expected omitted %s (%s), but the page omits %s (README 06.2)",
                combination, omitted, omitted.isEmpty() ? "not degraded: a NotFound optional part means there are "
                        + "none, an answer, not a degradation" : "a failed or late optional part is omitted and the "
                        + "page is degraded; a NotFound one is not", page.omitted())
                .containsExactlyInAnyOrderElementsOf(omitted);
        assertThat(page).as("[06.2] %s: expected the page of p-1 with the stock, the price and each optional part "
                        + "that answered Ok (and nothing for the others), but got %s (README 06.2)", combination, page)
                .isEqualTo(new ProductPage(ID, STOCK, PRICE,
                        reviews == Got.OK ? Optional.of(REVIEWS) : Optional.empty(),
                        recommendations == Got.OK ? Optional.of(RECOMMENDATIONS) : Optional.empty(), omitted));
    }

    /** A failing required part, whatever the optional ones did. */
    static Stream<Arguments> optionalPartsDoNotSaveAFailedPage() {
        List<Arguments> rows = new ArrayList<>();
        for (Got optional : Got.values()) {
            rows.add(arguments(Got.LATE, Got.OK, optional, FailureKind.TIMED_OUT, Part.INVENTORY));
            rows.add(arguments(Got.OK, Got.NOT_FOUND, optional, FailureKind.NOT_FOUND, Part.PRICING));
            rows.add(arguments(Got.OK, Got.FAILED, optional, FailureKind.UNAVAILABLE, Part.PRICING));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "inventory {0}, pricing {1}, both optional parts {2} -> Fail({3}, {4})")
    @MethodSource("optionalPartsDoNotSaveAFailedPage")
    @DisplayName("a failed required part fails the page whatever the optional parts did")
    void optionalPartsDoNotSaveAFailedPage(Got inventory, Got pricing, Got optional, FailureKind kind, Part part) {
        PageDecision decision = policy.decide(ID, inventory.of(STOCK), pricing.of(PRICE), optional.of(REVIEWS),
                optional.of(RECOMMENDATIONS));
        assertThat(decision).as("[06.2] inventory %s, pricing %s, reviews and recommendations %s: expected "
                        + "Fail(%s, %s), but got %s (README 06.2)", inventory, pricing, optional, kind, part.label(),
                        decision)
                .isInstanceOfSatisfying(PageDecision.Fail.class, fail -> assertThat(List.of(fail.kind(), fail.part()))
                        .as("[06.2] inventory %s, pricing %s, optional parts %s: expected Fail(%s, %s), but got %s "
                            + "(README 06.2)", inventory, pricing, optional, kind, part.label(), decision)
                        .containsExactly(kind, part));
    }

    /** Each part alone. */
    static Stream<Arguments> oneOutcome() {
        List<Arguments> rows = new ArrayList<>();
        for (Part part : Part.values()) {
            for (Got got : Got.values()) {
                rows.add(arguments(part, got, part.required() ? got.failsAs() : null));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "failure({0}, {1}) -> {2}")
    @MethodSource("oneOutcome")
    @DisplayName("failure() says what one part's outcome forces on its own, as decide() would")
    void oneOutcome(Part part, Got got, FailureKind kind) {
        Optional<PageDecision.Fail> failure = policy.failure(part, got.of("value"));
        if (kind == null) {
            assertThat(failure).as("[06.2] failure(%s, %s): expected empty (%s), but got %s (README 06.2)",
                    part, got, part.required() ? "an Ok required part fails nothing"
                            : "an optional part never fails the page", failure).isEmpty();
            return;
        }
        assertThat(failure.map(f -> List.of(f.kind(), f.part()))).as("[06.2] failure(%s, %s): expected "
                + "Fail(%s, %s), but got %s (README 06.2)", part, got, kind, part.label(), failure)
                .contains(List.of(kind, part));
        assertThat(failure.get().reason()).as("[06.2] failure(%s, %s): the reason \"%s\" should start with \"%s\" "
                        + "and say \"%s\" (README 06.2)", part, got, failure.get().reason(), part.label(), got.said())
                .startsWith(part.label()).contains(got.said());
    }

    @ParameterizedTest(name = "a {0} required part")
    @EnumSource(value = Got.class, names = {"NOT_FOUND", "FAILED", "LATE"})
    @DisplayName("decide() and failure() agree on a failed required part")
    void decideAgreesWithFailure(Got got) {
        PageDecision decision = policy.decide(ID, Got.OK.of(STOCK), got.of(PRICE), Got.OK.of(REVIEWS),
                Got.OK.of(RECOMMENDATIONS));
        Optional<PageDecision.Fail> failure = policy.failure(Part.PRICING, got.<Price>of(PRICE));
        assertThat(Optional.of(decision)).as("[06.2] pricing %s: decide() gave %s but failure(PRICING, %s) gave %s: "
                + "the use case (06.3) ends a request with failure() and answers others with decide(), so they must "
                + "give the same Fail (README 06.2)", got, decision, got, failure).isEqualTo(failure);
    }

    @Test
    @DisplayName("the policy is a pure function: the same outcomes give equal decisions")
    void sameOutcomesSameDecision() {
        PageDecision first = policy.decide(ID, Got.OK.of(STOCK), Got.OK.of(PRICE), Got.LATE.of(REVIEWS),
                Got.NOT_FOUND.of(RECOMMENDATIONS));
        PageDecision second = new DegradationPolicy().decide(ID, Got.OK.of(STOCK), Got.OK.of(PRICE),
                Got.LATE.of(REVIEWS), Got.NOT_FOUND.of(RECOMMENDATIONS));
        assertThat(second).as("[06.2] two policies decided differently on the same outcomes: %s, then %s; the "
                + "policy keeps no state (README 06.2)", first, second).isEqualTo(first);
    }
}
