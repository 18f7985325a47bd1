package workshop.patterns;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.NotSolvedYet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@Tag("05.10")
@DisplayName("05.10 Deferred cleanup")
class CleanupTest {

    /** A resource that notes when it is closed, and throws {@code failure} from close() if it has one. */
    static final class Noted implements AutoCloseable {
        final String name;
        final List<String> log;
        final Exception failure;

        Noted(String name, List<String> log, Exception failure) {
            this.name = name;
            this.log = log;
            this.failure = failure;
        }

        @Override
        public void close() throws Exception {
            log.add(name);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Lets the "not solved yet" signal through a test's catch, so that a starter fails on it, not on an assertion. */
    static Exception notSolvedYetFirst(Exception caught) {
        if (caught instanceof NotSolvedYet notSolvedYet) {
            throw notSolvedYet;
        }
        return caught;
    }

    @Nested
    @DisplayName("a Cleanup, Go's defer stack")
    class Stack {

        @Test
        @DisplayName("defer() hands back what it was given, and releases nothing yet")
        void deferHandsItBack() throws Exception {
            List<String> closed = new ArrayList<>();
            Noted a = new Noted("a", closed, null);
            try (Cleanup cleanup = new Cleanup()) {
                assertThat(cleanup.defer(a)).as("[05.10] what defer(a) returned: expected a itself, so that "
                        + "acquiring and deferring can be one line (README 05.10)").isSameAs(a);
                assertThat(closed).as("[05.10] resources closed by defer(): none before close() (README 05.10)")
                        .isEmpty();
            }
            assertThat(closed).as("[05.10] resources closed by close() (README 05.10)").containsExactly("a");
        }

        @Test
        @DisplayName("releases in reverse order of defer: last in, first out")
        void lastInFirstOut() throws Exception {
            List<String> closed = new ArrayList<>();
            Cleanup cleanup = new Cleanup();
            for (String name : List.of("a", "b", "c")) {
                cleanup.defer(new Noted(name, closed, null));
            }

            cleanup.close();

            assertThat(closed).as("[05.10] the order close() released a, b and c, deferred in that order: expected "
                    + "c, b, a, last in first out, as Go runs deferred calls and try-with-resources closes; "
                    + "what was acquired last may depend on what came before (README 05.10)")
                    .containsExactly("c", "b", "a");
        }

        @Test
        @DisplayName("releases every resource when some close() throw, then throws the first failure with the later "
                + "ones suppressed")
        void everyReleaseRuns() {
            List<String> closed = new ArrayList<>();
            IOException first = new IOException("c: flush failed");
            IllegalStateException later = new IllegalStateException("b: already broken");
            Cleanup cleanup = new Cleanup();
            cleanup.defer(new Noted("a", closed, null));
            cleanup.defer(new Noted("b", closed, later));
            cleanup.defer(new Noted("c", closed, first));
            cleanup.defer(new Noted("d", closed, null));

            Exception thrown = null;
            try {
                cleanup.close();
            } catch (Exception e) {
                thrown = notSolvedYetFirst(e);
            }

            assertThat(closed).as("[05.10] the resources close() released when c's and b's close() threw: expected "
                    + "all of d, c, b, a; a failing release must not stop the next ones, or they leak (README 05.10)")
                    .containsExactly("d", "c", "b", "a");
            assertThat(thrown).as("[05.10] what close() threw when c's close failed, then b's: expected c's "
                    + "exception itself, the first failure, as try-with-resources keeps the first; got %s "
                    + "(README 05.10)", thrown).isSameAs(first);
            assertThat(first.getSuppressed()).as("[05.10] the exceptions suppressed by the first failure: expected "
                    + "b's, the later one, kept with addSuppressed, not dropped or logged away (README 05.10)")
                    .containsExactly(later);
        }

        @Test
        @DisplayName("a second close() releases nothing again and throws nothing")
        void closeIsIdempotent() {
            List<String> closed = new ArrayList<>();
            IOException failure = new IOException("b: flush failed");
            Cleanup cleanup = new Cleanup();
            cleanup.defer(new Noted("a", closed, null));
            cleanup.defer(new Noted("b", closed, failure));
            try {
                cleanup.close();
                fail("[05.10] close() returned although b's close() threw " + failure + " (README 05.10)");
            } catch (Exception e) {
                assertThat(notSolvedYetFirst(e)).as("[05.10] what the first close() threw (README 05.10)")
                        .isSameAs(failure);
            }

            try {
                cleanup.close();
            } catch (Exception e) {
                fail("[05.10] a second close() threw " + e + ": expected nothing, closing twice is a no-op "
                        + "(README 05.10)");
            }
            assertThat(closed).as("[05.10] the releases after two calls of close(): expected each resource once; a "
                    + "resource closed twice may close what now belongs to someone else (README 05.10)")
                    .containsExactly("b", "a");
        }

        @Test
        @DisplayName("in a try-with-resources whose body throws, the body's failure stays primary")
        void bodyFailureStaysPrimary() {
            List<String> closed = new ArrayList<>();
            IOException releaseFailure = new IOException("a: flush failed");
            IllegalArgumentException bodyFailure = new IllegalArgumentException("bad input");
            try (Cleanup cleanup = new Cleanup()) {
                cleanup.defer(new Noted("a", closed, releaseFailure));
                throw bodyFailure;
            } catch (Exception e) {
                assertThat(notSolvedYetFirst(e)).as("[05.10] what a try-with-resources over a Cleanup threw when its "
                        + "body threw and then a release did: expected the body's failure (README 05.10)")
                        .isSameAs(bodyFailure);
                assertThat(e.getSuppressed()).as("[05.10] the exceptions the body's failure suppresses: expected "
                        + "the release's own, not a wrapper (README 05.10)").containsExactly(releaseFailure);
            }
            assertThat(closed).as("[05.10] the releases (README 05.10)").containsExactly("a");
        }

        @Test
        @DisplayName("defer() after close() is refused")
        void deferAfterClose() throws Exception {
            Cleanup cleanup = new Cleanup();
            cleanup.close();
            try {
                cleanup.defer(new Noted("late", new ArrayList<>(), null));
                fail("[05.10] defer() after close() returned: expected IllegalStateException, nothing would ever "
                        + "release that resource (README 05.10)");
            } catch (IllegalStateException expected) {
                // the scope is over
            }
        }
    }

    /**
     * Fake files: counts how many are open at once and the most at any moment, notes every open and close, and fails
     * size() or close() of the names the test says.
     */
    static final class FakeFiles implements Cleanup.Opener {
        final Map<String, IOException> sizeFailures = new HashMap<>();
        final Map<String, IOException> closeFailures = new HashMap<>();
        final Map<String, IOException> openFailures = new HashMap<>();
        final List<String> opened = Collections.synchronizedList(new ArrayList<>());
        final List<String> closed = Collections.synchronizedList(new ArrayList<>());
        int open;
        int peak;

        @Override
        public synchronized Cleanup.Handle open(String name) throws IOException {
            IOException failure = openFailures.get(name);
            if (failure != null) {
                throw failure;
            }
            opened.add(name);
            peak = Math.max(peak, ++open);
            return new Cleanup.Handle() {
                boolean isClosed;

                @Override
                public long size() throws IOException {
                    IOException failure = sizeFailures.get(name);
                    if (failure != null) {
                        throw failure;
                    }
                    return name.length();
                }

                @Override
                public void close() throws IOException {
                    synchronized (FakeFiles.this) {
                        closed.add(name);
                        if (!isClosed) {
                            isClosed = true;
                            open--;
                        }
                    }
                    IOException failure = closeFailures.get(name);
                    if (failure != null) {
                        throw failure;
                    }
                }
            };
        }

        synchronized int peak() {
            return peak;
        }
    }

    @Nested
    @DisplayName("totalSize(names), the defer-in-a-loop leak")
    class Loop {

        static final List<String> NAMES = List.of("a", "bb", "ccc", "dddd", "eeeee", "f", "gg", "hhh", "iiii", "jj");

        @Test
        @DisplayName("closes each file at the end of its iteration: never more than one open")
        void oneOpenAtATime() throws Exception {
            FakeFiles files = new FakeFiles();

            long total = Cleanup.totalSize(NAMES, files);

            assertThat(total).as("[05.10] totalSize of 10 files (README 05.10)").isEqualTo(27);
            assertThat(files.closed).as("[05.10] the files closed: expected each of the 10 once (README 05.10)")
                    .containsExactlyInAnyOrderElementsOf(NAMES);
            assertThat(files.peak()).as("[05.10] the most files open at once while totalSize read 10: %d; expected "
                    + "1. Deferring every close to the end of the method is Go's defer in a loop: with 100,000 names "
                    + "it runs out of file descriptors. Close each file at the end of its own iteration "
                    + "(README 05.10)", files.peak()).isEqualTo(1);
        }

        @Test
        @DisplayName("when reading one file fails, throws that failure, the close failure suppressed, and leaves "
                + "no file open")
        void failureInAnIteration() throws Exception {
            FakeFiles files = new FakeFiles();
            IOException readFailure = new IOException("dddd: read failed");
            IOException closeFailure = new IOException("dddd: close failed");
            files.sizeFailures.put("dddd", readFailure);
            files.closeFailures.put("dddd", closeFailure);

            Exception thrown = null;
            try {
                long total = Cleanup.totalSize(NAMES, files);
                fail("[05.10] totalSize returned %d although reading dddd failed (README 05.10)", total);
            } catch (Exception e) {
                thrown = notSolvedYetFirst(e);
            }

            assertThat(thrown).as("[05.10] what totalSize threw when reading dddd failed and then closing it failed "
                    + "too: expected the read failure itself; got %s. A close in a finally block that throws replaces "
                    + "the failure that matters; try-with-resources keeps it and suppresses the close's "
                    + "(README 05.10)", thrown).isSameAs(readFailure);
            assertThat(files.opened).as("[05.10] the files opened: expected a, bb, ccc, dddd, and none after the "
                    + "failure (README 05.10)").containsExactly("a", "bb", "ccc", "dddd");
            assertThat(files.closed).as("[05.10] the files closed when reading dddd failed: expected all 4 opened, "
                    + "dddd included; a close() after the read, not in a finally or try-with-resources, is skipped "
                    + "when the read throws, and the file leaks (README 05.10)")
                    .containsExactlyInAnyOrder("a", "bb", "ccc", "dddd");
            assertThat(readFailure.getSuppressed()).as("[05.10] the exceptions the read failure suppresses: "
                    + "expected dddd's close failure (README 05.10)").containsExactly(closeFailure);
            assertThat(files.peak()).as("[05.10] the most files open at once: %d; expected 1, each file closed at "
                    + "the end of its own iteration (README 05.10)", files.peak()).isEqualTo(1);
        }

        @Test
        @DisplayName("when opening a file fails, throws that failure and leaves no file open")
        void failureToOpen() throws Exception {
            FakeFiles files = new FakeFiles();
            IOException openFailure = new IOException("ccc: no such file");
            files.openFailures.put("ccc", openFailure);

            Exception thrown = null;
            try {
                long total = Cleanup.totalSize(NAMES, files);
                fail("[05.10] totalSize returned %d although opening ccc failed (README 05.10)", total);
            } catch (Exception e) {
                thrown = notSolvedYetFirst(e);
            }

            assertThat(thrown).as("[05.10] what totalSize threw when opening ccc failed (README 05.10)")
                    .isSameAs(openFailure);
            assertThat(files.closed).as("[05.10] the files closed when opening ccc failed: expected both opened "
                    + "before (README 05.10)").containsExactlyInAnyOrder("a", "bb");
            assertThat(files.peak()).as("[05.10] the most files open at once: %d; expected 1 (README 05.10)",
                    files.peak()).isEqualTo(1);
        }
    }
}
