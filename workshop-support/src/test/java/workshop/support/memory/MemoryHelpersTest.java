package workshop.support.memory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The memory helpers")
class MemoryHelpersTest {

    private static volatile Object sink;

    @Nested
    @DisplayName("Allocations.bytesPerOp")
    class BytesPerOp {

        @Test
        @DisplayName("counts an allocation that escapes, in full")
        void countsAnEscapingAllocation() {
            double perOp = Allocations.bytesPerOp("99.1", 1_000, () -> sink = new byte[1_000]);
            assertThat(perOp).as("bytes per op of a 1,000-byte array stored in a field").isBetween(1_000.0, 1_100.0);
        }

        @Test
        @DisplayName("counts nothing for an operation that allocates nothing")
        void countsNothingForNothing() {
            int[] counter = {0};
            double perOp = Allocations.bytesPerOp("99.1", 1_000, () -> counter[0]++);
            assertThat(perOp).as("bytes per op of incrementing an int").isLessThan(1.0);
        }
    }

    @Nested
    @DisplayName("Heap")
    class HeapHelpers {

        @Test
        @DisplayName("counts no survivor when nothing holds the referent, and one when something does")
        void countsSurvivors() {
            Object held = new Object();
            WeakReference<Object> heldRef = new WeakReference<>(held);
            assertThat(Heap.survives("99.2", unheld())).as("an object nobody holds survives collection").isFalse();
            assertThat(Heap.survives("99.2", heldRef)).as("an object a local holds survives collection").isTrue();
            Reference.reachabilityFence(held);
        }

        @Test
        @DisplayName("collects until a consequence of a collection shows, and says when it never does")
        void collectsUntilAConsequence() {
            WeakReference<Object> ref = unheld();
            assertThat(Heap.collectUntil("99.2", () -> ref.refersTo(null))).as("a weak reference cleared").isTrue();
            AtomicBoolean never = new AtomicBoolean();
            assertThat(Heap.collectUntil("99.2", never::get)).as("a condition that never holds").isFalse();
        }

        private WeakReference<Object> unheld() {
            return new WeakReference<>(new Object());
        }
    }
}
