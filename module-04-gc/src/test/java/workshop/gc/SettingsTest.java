package workshop.gc;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import workshop.support.memory.SharedStateReads;

import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static workshop.support.testing.Parked.PATIENCE;
import static workshop.support.testing.Parked.rethrowFailures;

/**
 * A data race on a published reference is almost never visible in a test on x86 (its memory model is strong, and the
 * JIT's reorderings need luck to show): jcstress can show it, given millions of tries. These tests look instead at
 * what makes a race possible, in the compiled classes (the JDK's ClassFile API), and run the one race a test can
 * force: many threads at the first {@code get()}.
 */
@Tag("04.9")
@DisplayName("04.9 Publish an immutable object safely")
class SettingsTest {

    private static final Map<String, String> PROPERTIES = Map.of("region", "ap-south-2", "pool.size", "32",
            "features", "tracing, compression");

    /** Field of Settings to the methods, constructors excluded, of Settings and its nested classes that write it. */
    private static Map<String, Set<String>> writersOutsideConstructors() {
        Map<String, Set<String>> writers = new LinkedHashMap<>();
        for (Class<?> type : List.of(Settings.class, Settings.Lazy.class)) {
            ClassModel model = SharedStateReads.classModel(type);
            for (MethodModel method : model.methods()) {
                String name = method.methodName().stringValue();
                if (name.equals("<init>") && type == Settings.class || method.code().isEmpty()) {
                    continue;
                }
                method.code().get().forEach(element -> {
                    if (element instanceof FieldInstruction f && f.opcode() == Opcode.PUTFIELD
                            && f.owner().asInternalName().equals("workshop/gc/Settings")) {
                        writers.computeIfAbsent(f.name().stringValue(), k -> new LinkedHashSet<>())
                                .add(type.getSimpleName() + "." + (name.startsWith("lambda$") ? "a lambda" : name)
                                        + "()");
                    }
                });
            }
        }
        return writers;
    }

    @Test
    @DisplayName("a Settings holds what its properties say, and cannot be changed")
    void settingsAreImmutable() {
        Settings settings = Settings.parse(PROPERTIES);

        assertThat(List.of(settings.region(), settings.poolSize(), settings.features()))
                .as("[04.9] Settings.parse(%s) read wrong values (README 04.9)", PROPERTIES)
                .containsExactly("ap-south-2", 32, List.of("tracing", "compression"));
        Throwable changed = catchThrowable(() -> settings.features().add("debug"));
        assertThat(changed).as("[04.9] features().add(\"debug\") %s: a shared Settings must not change after it is "
                + "built; hand out an unmodifiable list (List.copyOf) (README 04.9)",
                changed == null ? "changed the settings" : "threw " + changed)
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(settings.features()).as("[04.9] the features changed (README 04.9)")
                .containsExactly("tracing", "compression");
    }

    @Test
    @DisplayName("every field of Settings is final, written only by a constructor")
    void everyFieldIsFinal() {
        ClassModel model = SharedStateReads.classModel(Settings.class);
        Map<String, Set<String>> writers = writersOutsideConstructors();
        List<String> notFinal = new ArrayList<>();
        for (FieldModel field : model.fields()) {
            if (!field.flags().has(AccessFlag.STATIC) && !field.flags().has(AccessFlag.FINAL)) {
                String name = field.fieldName().stringValue();
                Set<String> by = writers.get(name);
                notFinal.add(name + (by == null ? "" : " (written by " + String.join(", ", by) + ")"));
            }
        }

        assertThat(notFinal).as("[04.9] these fields of Settings are not final: %s. The memory model guarantees "
                + "a thread that reads a reference to an object the values its constructor gave to final fields "
                + "only, however the reference got there; another field may be seen still unwritten (null, 0) by a "
                + "thread that got the object through a data race. Make every field final and set it in the "
                + "constructor (README 04.9)", String.join("; ", notFinal)).isEmpty();
    }

    @Test
    @DisplayName("Settings.Lazy reads its shared field only under a lock, or from a volatile field")
    void theLazyFieldIsReadSafely() {
        Supplier<Map<String, String>> source = () -> PROPERTIES;
        Settings.Lazy sample = new Settings.Lazy(source);

        List<SharedStateReads.UnsafeRead> unsafe = SharedStateReads.of(Settings.Lazy.class, sample,
                source);

        assertThat(unsafe).as("[04.9] Settings.Lazy reads shared state with nothing that orders the read after "
                + "the write that published it:%n  %s%nA thread that reads the field without a lock or volatile "
                + "may see a stale null (and build again), or the reference before the object's writes (double-"
                + "checked locking without volatile); make the field volatile, or read it under the lock "
                + "(README 04.9)", unsafe.stream().map(Object::toString).collect(Collectors.joining("\n  ")))
                .isEmpty();
    }

    /**
     * The source of the race test: the first thread to read it stays inside until every other caller of get() is
     * either inside too (a racy get() lets them all in) or parked, waiting for the first (a correct one makes them
     * wait); so a check-then-set without a lock builds many times, every time, not once in a thousand runs.
     */
    private static final class GatedSource implements Supplier<Map<String, String>> {
        final AtomicInteger reads = new AtomicInteger();
        final Set<Thread> inside = ConcurrentHashMap.newKeySet();
        final Set<Thread> released = ConcurrentHashMap.newKeySet();
        final Set<Thread> returned = ConcurrentHashMap.newKeySet();
        volatile List<Thread> callers = List.of();

        @Override
        public Map<String, String> get() {
            reads.incrementAndGet();
            inside.add(Thread.currentThread());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!othersSettled() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            return PROPERTIES;
        }

        private boolean othersSettled() {
            for (Thread caller : callers) {
                if (caller == Thread.currentThread() || inside.contains(caller) || returned.contains(caller)) {
                    continue;
                }
                Thread.State state = caller.getState();
                boolean parkedInGet = released.contains(caller) && (state == Thread.State.BLOCKED
                        || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING);
                if (!parkedInGet && state != Thread.State.TERMINATED) {
                    return false;
                }
            }
            return true;
        }
    }

    @Test
    @DisplayName("8 threads at the first get() at once: nothing read before, the source read once, one instance for "
                 + "all")
    void manyThreadsAtTheFirstGet() throws Exception {
        Class.forName(Settings.class.getName(), true, Settings.class.getClassLoader()); // no class-init waits below
        int threads = 8;
        GatedSource source = new GatedSource();
        Settings.Lazy lazy = new Settings.Lazy(source);
        assertThat(source.reads.get()).as("[04.9] new Settings.Lazy(source) read the source before anyone asked "
                + "for the settings: build them on the first get() (README 04.9)").isZero();

        CountDownLatch go = new CountDownLatch(1);
        Map<Thread, Settings> seen = Collections.synchronizedMap(new IdentityHashMap<>());
        List<Future<?>> tasks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("[04.9] get-", 0)
                .factory());
        List<Thread> callers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(threads);
        try {
            for (int t = 0; t < threads; t++) {
                tasks.add(pool.submit(() -> {
                    synchronized (callers) {
                        callers.add(Thread.currentThread());
                    }
                    ready.countDown();
                    go.await();
                    source.released.add(Thread.currentThread());
                    try {
                        seen.put(Thread.currentThread(), lazy.get());
                    } finally {
                        source.returned.add(Thread.currentThread());
                    }
                    return null;
                }));
            }
            assertThat(ready.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("[04.9] the test's threads did "
                    + "not start").isTrue();
            synchronized (callers) {
                source.callers = List.copyOf(callers);
            }
            go.countDown();
            pool.shutdown();
            boolean ended = pool.awaitTermination(PATIENCE.toMillis() * 3, TimeUnit.MILLISECONDS);
            rethrowFailures(tasks);
            assertThat(ended).as("[04.9] 8 threads calling get() at once did not all return (README 04.9)").isTrue();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        assertThat(source.reads.get()).as("[04.9] 8 threads called get() at once and the source was read %d times: "
                + "each saw no settings yet and built its own (check-then-set is two steps; another thread gets "
                + "between them). Build under a lock, and check again once you hold it (README 04.9)",
                source.reads.get()).isEqualTo(1);
        Set<Settings> instances = Collections.newSetFromMap(new IdentityHashMap<>());
        instances.addAll(seen.values());
        assertThat(instances).as("[04.9] 8 threads got %d different Settings instances (README 04.9)",
                instances.size()).hasSize(1);
        Settings settings = instances.iterator().next();
        assertThat(settings).as("[04.9] get() returned null (README 04.9)").isNotNull();
        assertThat(settings.region()).as("[04.9] the settings built from the source (README 04.9)")
                .isEqualTo("ap-south-2");
        assertThat(lazy.get()).as("[04.9] a later get() returned another instance (README 04.9)").isSameAs(settings);
        assertThat(source.reads.get()).as("[04.9] a later get() read the source again (README 04.9)").isEqualTo(1);
    }
}
