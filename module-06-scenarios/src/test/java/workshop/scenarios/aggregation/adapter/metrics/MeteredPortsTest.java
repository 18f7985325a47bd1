package workshop.scenarios.aggregation.adapter.metrics;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import workshop.scenarios.aggregation.application.DownstreamException;
import workshop.scenarios.aggregation.application.ProductPages;
import workshop.scenarios.aggregation.domain.FailureKind;
import workshop.scenarios.aggregation.domain.PageDecision;
import workshop.scenarios.aggregation.domain.Part;
import workshop.scenarios.aggregation.domain.Price;
import workshop.scenarios.aggregation.domain.ProductId;
import workshop.scenarios.aggregation.domain.ProductPage;
import workshop.scenarios.aggregation.domain.Recommendations;
import workshop.scenarios.aggregation.domain.ReviewSummary;
import workshop.scenarios.aggregation.domain.Stock;
import workshop.support.NotSolvedYet;
import workshop.support.testing.Background;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.support.testing.Parked.PATIENCE;

@Tag("06.8")
@DisplayName("06.8 Metrics for every downstream")
class MeteredPortsTest {

    private static final ProductId P1 = new ProductId("p-1");
    private static final Stock STOCK = new Stock(12, "AMS");
    private static final Price PRICE = new Price(1999, "EUR");
    private static final ReviewSummary REVIEWS = new ReviewSummary(4.5, 120);
    private static final Recommendations RECOMMENDATIONS = new Recommendations(List.of(new ProductId("p-2")));

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private MeteredPortsScrape scrape() {
        return MeteredPortsScrape.parse(registry.scrape());
    }

    /** A fake port's time passing: {@code millis} on the registry's clock. */
    private void takes(long millis) {
        clock.add(Duration.ofMillis(millis));
    }

    /** Calls the part's port, metered, with a fake that takes {@code millis} and then does {@code then}. */
    private Object callPart(MeteredPorts metered, Part part, long millis, FakeCall then) throws Exception {
        return switch (part) {
            case INVENTORY -> metered.inventory(id -> {
                takes(millis);
                return (Stock) then.run(STOCK);
            }).stock(P1);
            case PRICING -> metered.pricing(id -> {
                takes(millis);
                return (Price) then.run(PRICE);
            }).price(P1);
            case REVIEWS -> metered.reviews(id -> {
                takes(millis);
                return (ReviewSummary) then.run(REVIEWS);
            }).reviews(P1);
            case RECOMMENDATIONS -> metered.recommendations(id -> {
                takes(millis);
                return (Recommendations) then.run(RECOMMENDATIONS);
            }).recommendations(P1);
        };
    }

    /** What a fake port does after its time has passed: return the value it is given, or throw. */
    @FunctionalInterface
    interface FakeCall {
        Object run(Object value) throws DownstreamException, InterruptedException;
    }

    private static ProductPage page(Set<Part> omitted) {
        return new ProductPage(P1, STOCK, PRICE, omitted.contains(Part.REVIEWS) ? Optional.empty()
                : Optional.of(REVIEWS), omitted.contains(Part.RECOMMENDATIONS) ? Optional.empty()
                : Optional.of(RECOMMENDATIONS), omitted);
    }

    private static String outcomeLabel(DownstreamException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> "not_found";
            case FAILED -> "failed";
            case TIMED_OUT -> "timed_out";
            case REJECTED -> "rejected";
        };
    }

    @Nested
    @DisplayName("per downstream")
    class PerDownstream {

        @ParameterizedTest(name = "{0}")
        @EnumSource(Part.class)
        @DisplayName("a call that answers is counted once as ok, under its own downstream, and timed on the "
                + "registry's clock")
        void timesAndCountsACallThatAnswers(Part part) throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);

            Object value = callPart(metered, part, 40, v -> v);

            assertThat(value).as("[06.8] what the metered %s port returned: the wrapped port's value "
                    + "(README 06.8)", part.label()).isNotNull();
            MeteredPortsScrape scrape = scrape();
            Map<String, String> labels = Map.of("downstream", part.label(), "outcome", "ok");
            assertThat(scrape.value("aggregation_downstream_calls_total", labels))
                    .as("[06.8] aggregation_downstream_calls_total{downstream=\"%s\",outcome=\"ok\"} after one "
                            + "call that answered: expected 1 (a Counter named MeteredPorts.DOWNSTREAM_CALLS tagged "
                            + "downstream and outcome). The scrape has: %s (README 06.8)", part.label(),
                            scrape.names())
                    .isEqualTo(1.0);
            assertThat(scrape.sum("aggregation_downstream_calls_total"))
                    .as("[06.8] increments of aggregation_downstream_calls_total over all labels after one call "
                            + "(README 06.8)").isEqualTo(1.0);
            assertThat(scrape.value("aggregation_downstream_seconds_count", labels))
                    .as("[06.8] aggregation_downstream_seconds_count{downstream=\"%s\",outcome=\"ok\"} after one "
                            + "call (a Timer named MeteredPorts.DOWNSTREAM_SECONDS) (README 06.8)", part.label())
                    .isEqualTo(1.0);
            assertThat(scrape.value("aggregation_downstream_seconds_sum", labels))
                    .as("[06.8] the time recorded for one %s call that took 40 ms on the registry's clock (a "
                            + "MockClock), in seconds: 0.040. Read the time on the registry's clock "
                            + "(registry.config().clock().monotonicTime(), or Timer.start(registry)), not "
                            + "System.nanoTime() (README 06.8)", part.label())
                    .isCloseTo(0.040, Offset.offset(0.0005));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(DownstreamException.Kind.class)
        @DisplayName("a call that fails is rethrown as it was, and counted and timed under its kind")
        void countsAFailureByItsKind(DownstreamException.Kind kind) throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);
            DownstreamException failure = new DownstreamException(Part.PRICING, kind, "the test's fake failed");

            Throwable thrown = null;
            try {
                callPart(metered, Part.PRICING, 30, v -> {
                    throw failure;
                });
            } catch (NotSolvedYet e) {
                throw e;
            } catch (Exception e) {
                thrown = e;
            }

            assertThat(thrown).as("[06.8] the metered port should rethrow the very DownstreamException the "
                    + "wrapped port threw (%s), not swallow, wrap or replace it (README 06.8)", kind)
                    .isSameAs(failure);
            MeteredPortsScrape scrape = scrape();
            String outcome = outcomeLabel(kind);
            Map<String, String> labels = Map.of("downstream", "pricing", "outcome", outcome);
            assertThat(scrape.value("aggregation_downstream_calls_total", labels))
                    .as("[06.8] a pricing call that failed with %s: expected aggregation_downstream_calls_total"
                            + "{downstream=\"pricing\",outcome=\"%s\"} = 1; the counters by outcome are %s "
                            + "(README 06.8)", kind, outcome, scrape.byLabel("aggregation_downstream_calls_total",
                            "outcome"))
                    .isEqualTo(1.0);
            assertThat(scrape.sum("aggregation_downstream_calls_total"))
                    .as("[06.8] increments of aggregation_downstream_calls_total over all labels after one failed "
                            + "call (README 06.8)").isEqualTo(1.0);
            assertThat(scrape.value("aggregation_downstream_seconds_sum", labels))
                    .as("[06.8] a pricing call that failed with %s after 30 ms was not timed under outcome=\"%s\": "
                            + "the time of failures matters most. Record in a finally, or in every catch "
                            + "(README 06.8)", kind, outcome)
                    .isCloseTo(0.030, Offset.offset(0.0005));
        }

        @Test
        @DisplayName("an exception the port does not declare is rethrown and counted as failed")
        void countsARuntimeExceptionAsFailed() throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);
            IllegalStateException bug = new IllegalStateException("the test's fake has a bug");

            Throwable thrown = null;
            try {
                callPart(metered, Part.REVIEWS, 5, v -> {
                    throw bug;
                });
            } catch (NotSolvedYet e) {
                throw e;
            } catch (Exception e) {
                thrown = e;
            }

            assertThat(thrown).as("[06.8] the metered port should rethrow the wrapped port's exception "
                    + "(README 06.8)").isSameAs(bug);
            assertThat(scrape().value("aggregation_downstream_calls_total",
                    Map.of("downstream", "reviews", "outcome", "failed")))
                    .as("[06.8] a reviews call that threw an IllegalStateException: expected it counted as "
                            + "outcome=\"failed\" (README 06.8)").isEqualTo(1.0);
        }

        @Test
        @DisplayName("the histogram has buckets at the budgets: a 130 ms call is above 120 ms and within 150 ms")
        void histogramBucketsAtTheBudgets() throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);

            callPart(metered, Part.INVENTORY, 130, v -> v);

            MeteredPortsScrape scrape = scrape();
            Set<String> bounds = scrape.labelValues("aggregation_downstream_seconds_bucket", "le");
            assertThat(bounds).as("[06.8] the bucket bounds (le) of aggregation_downstream_seconds: a Timer exports "
                    + "only its count, sum and max unless it publishes a histogram; give it bucket bounds at the "
                    + "budgets (serviceLevelObjectives(...), MeteredPorts.BUCKETS) so that Prometheus can tell how "
                    + "many calls met 120 ms, 150 ms and 200 ms (README 06.8). Names in the scrape: %s",
                    scrape.names()).contains("0.12", "0.15", "0.2", "+Inf");
            Map<String, String> ok = Map.of("downstream", "inventory", "outcome", "ok");
            assertThat(scrape.bucket("aggregation_downstream_seconds_bucket", ok, "0.12"))
                    .as("[06.8] a 130 ms inventory call counted in the bucket le=\"0.12\" (README 06.8)")
                    .isEqualTo(0.0);
            assertThat(scrape.bucket("aggregation_downstream_seconds_bucket", ok, "0.15"))
                    .as("[06.8] a 130 ms inventory call counted in the bucket le=\"0.15\" (README 06.8)")
                    .isEqualTo(1.0);
        }

        @Test
        @DisplayName("a call cut by an interrupt is counted as cancelled, and the very InterruptedException goes on")
        void anInterruptIsCancelledAndPropagates() throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);
            InterruptedException cut = new InterruptedException("the test's fake was interrupted");

            Background<Throwable> call = Background.call("[06.8] a metered reviews call that is cut", () -> {
                try {
                    callPart(metered, Part.REVIEWS, 120, v -> {
                        throw cut;
                    });
                    return null;
                } catch (InterruptedException e) {
                    return e;
                } catch (Exception e) {
                    return e;
                }
            });
            Throwable thrown = call.await(PATIENCE);

            if (thrown instanceof NotSolvedYet notSolved) {
                throw notSolved;
            }
            assertThat(thrown).as("[06.8] a reviews call whose port threw InterruptedException: the metered port "
                    + "should rethrow that very exception, so that the use case's fork ends as interrupted. It "
                    + "threw %s: an interrupt swallowed or turned into a failure makes a cut call look like the "
                    + "downstream's fault and loses the cancellation (README 06.8)", thrown).isSameAs(cut);
            Map<String, String> cancelled = Map.of("downstream", "reviews", "outcome", "cancelled");
            MeteredPortsScrape scrape = scrape();
            assertThat(scrape.value("aggregation_downstream_calls_total", cancelled))
                    .as("[06.8] a reviews call cut by an interrupt: expected aggregation_downstream_calls_total"
                            + "{downstream=\"reviews\",outcome=\"cancelled\"} = 1; the counters by outcome are %s. "
                            + "A cut call is not a failure of the downstream (README 06.8)",
                            scrape.byLabel("aggregation_downstream_calls_total", "outcome"))
                    .isEqualTo(1.0);
            assertThat(scrape.value("aggregation_downstream_seconds_sum", cancelled))
                    .as("[06.8] the time of a reviews call cut after 120 ms (README 06.8)")
                    .isCloseTo(0.120, Offset.offset(0.0005));
        }

        @Test
        @DisplayName("an interrupt status the port left set is still set when the metered call returns")
        void keepsTheInterruptStatus() throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);

            Background<Boolean> call = Background.call("[06.8] a metered call that returns interrupted", () -> {
                callPart(metered, Part.INVENTORY, 10, v -> {
                    Thread.currentThread().interrupt(); // an adapter that noticed an interrupt late and kept it
                    return v;
                });
                return Thread.currentThread().isInterrupted();
            });
            Boolean stillInterrupted = call.await(PATIENCE);

            assertThat(stillInterrupted).as("[06.8] the wrapped inventory port returned with its thread's interrupt "
                    + "status set; after the metered call the status was cleared: Thread.interrupted() reads AND "
                    + "clears it. Metrics must not change what the call did (README 06.8)").isTrue();
        }
    }

    @Nested
    @DisplayName("end to end")
    class EndToEnd {

        @ParameterizedTest(name = "{0}")
        @CsvSource({"page, ok", "degraded page, degraded", "NOT_FOUND, not_found", "UNAVAILABLE, unavailable",
                "TIMED_OUT, timed_out"})
        @DisplayName("each request is counted once by its decision's outcome, and timed")
        void countsEachRequestByItsOutcome(String decided, String outcome) throws Exception {
            MeteredPorts metered = new MeteredPorts(registry);
            PageDecision decision = switch (decided) {
                case "page" -> new PageDecision.Serve(page(Set.of()));
                case "degraded page" -> new PageDecision.Serve(page(Set.of(Part.REVIEWS)));
                default -> new PageDecision.Fail(FailureKind.valueOf(decided), Part.INVENTORY, "the test's fake");
            };
            ProductPages pages = metered.pages(id -> {
                takes(180);
                return decision;
            });

            PageDecision answered = pages.load(P1);

            assertThat(answered).as("[06.8] the metered use case should return the wrapped one's decision "
                    + "(README 06.8)").isSameAs(decision);
            MeteredPortsScrape scrape = scrape();
            assertThat(scrape.value("aggregation_requests_total", Map.of("outcome", outcome)))
                    .as("[06.8] one request decided as %s: expected aggregation_requests_total{outcome=\"%s\"} = 1; "
                            + "the counters by outcome are %s. A degraded page is its own outcome: it is the "
                            + "number to watch when an optional downstream is down (README 06.8)", decided, outcome,
                            scrape.byLabel("aggregation_requests_total", "outcome"))
                    .isEqualTo(1.0);
            assertThat(scrape.sum("aggregation_requests_total"))
                    .as("[06.8] increments of aggregation_requests_total over all outcomes after one request "
                            + "(README 06.8)").isEqualTo(1.0);
            assertThat(scrape.value("aggregation_request_seconds_sum", Map.of("outcome", outcome)))
                    .as("[06.8] the time of a request decided in 180 ms on the registry's clock, in seconds "
                            + "(README 06.8)").isCloseTo(0.180, Offset.offset(0.0005));
            assertThat(scrape.labelValues("aggregation_request_seconds_bucket", "le"))
                    .as("[06.8] the bucket bounds (le) of aggregation_request_seconds: the request's budget, "
                            + "200 ms, should be one (README 06.8)").contains("0.2", "+Inf");
        }

        @Test
        @DisplayName("a request cut by an interrupt is counted as cancelled, and the very InterruptedException goes on")
        void anInterruptedRequestIsCancelled() throws InterruptedException {
            MeteredPorts metered = new MeteredPorts(registry);
            InterruptedException gone = new InterruptedException("the client went away");
            ProductPages pages = metered.pages(id -> {
                takes(50);
                throw gone;
            });

            Background<Throwable> call = Background.call("[06.8] a metered request that is cut", () -> {
                try {
                    pages.load(P1);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            Throwable thrown = call.await(PATIENCE);

            assertThat(thrown).as("[06.8] the wrapped use case threw InterruptedException; the metered one should "
                    + "rethrow that very exception (README 06.8)").isSameAs(gone);
            MeteredPortsScrape scrape = scrape();
            assertThat(scrape.value("aggregation_requests_total", Map.of("outcome", "cancelled")))
                    .as("[06.8] a request cut by an interrupt: expected aggregation_requests_total"
                            + "{outcome=\"cancelled\"} = 1; the counters by outcome are %s (README 06.8)",
                            scrape.byLabel("aggregation_requests_total", "outcome"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    @DisplayName("labels stay few: 100 products through every metered port make the same series as one product")
    void labelsStayFew() throws Exception {
        MeteredPorts metered = new MeteredPorts(registry);
        var inventory = metered.inventory(id -> STOCK);
        var pricing = metered.pricing(id -> PRICE);
        var reviews = metered.reviews(id -> REVIEWS);
        var recommendations = metered.recommendations(id -> RECOMMENDATIONS);
        ProductPages pages = metered.pages(id -> new PageDecision.Serve(page(Set.of())));

        inventory.stock(P1);
        pricing.price(P1);
        reviews.reviews(P1);
        recommendations.recommendations(P1);
        pages.load(P1);
        Set<String> afterOne = scrape().series();
        for (int n = 2; n <= 100; n++) {
            ProductId id = new ProductId("p-" + n);
            inventory.stock(id);
            pricing.price(id);
            reviews.reviews(id);
            recommendations.recommendations(id);
            pages.load(id);
        }
        MeteredPortsScrape scrape = scrape();
        Set<String> afterHundred = scrape.series();

        Set<String> added = new TreeSet<>(afterHundred);
        added.removeAll(afterOne);
        assertThat(added).as("[06.8] 99 more products made %d new time series (for example %s): never label by "
                + "product id or request id. Each label value is a series that Prometheus keeps; put such values "
                + "in the request's log line instead (README 06.8)", added.size(),
                added.stream().limit(3).toList()).isEmpty();
        assertThat(scrape.sum("aggregation_downstream_calls_total"))
                .as("[06.8] downstream calls counted after 100 products through four ports (README 06.8)")
                .isEqualTo(400.0);
        assertThat(scrape.sum("aggregation_requests_total"))
                .as("[06.8] requests counted after 100 products (README 06.8)").isEqualTo(100.0);
        assertThat(scrape.series().stream().filter(s -> s.startsWith("aggregation_")).count())
                .as("[06.8] time series of the aggregation_ metrics: a histogram per downstream and outcome, "
                        + "one per outcome end to end, their counters: a few hundred at most (README 06.8)")
                .isLessThanOrEqualTo(600);
    }
}
