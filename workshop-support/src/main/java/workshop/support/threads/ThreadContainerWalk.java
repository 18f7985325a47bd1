package workshop.support.threads;

import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Every live thread, virtual ones included, found by walking the JDK's tree of thread containers
 * ({@code jdk.internal.vm.ThreadContainers}, the tree a JSON thread dump walks too) and asking each thread for its
 * state and stack. Unlike {@code HotSpotDiagnosticMXBean.dumpThreads} on JDK 25.0.3, it does not crash the JVM when
 * very many virtual threads start or end while it looks (JDK-8364343; module 01 keeps a reproduction in
 * {@code lab/jdk-bug}). It needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, which every test JVM of
 * the workshop gets; without it {@link #available()} is false and {@link ThreadDumps} reads a JSON dump instead.
 */
final class ThreadContainerWalk {

    private static final Optional<Handles> HANDLES = Handles.find();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Handles(MethodHandle root, MethodHandle children, MethodHandle threads) {
        static Optional<Handles> find() {
            try {
                Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
                Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
                MethodHandles.Lookup lookup = MethodHandles.lookup(); // the package is exported to unnamed modules only
                return Optional.of(new Handles(
                        lookup.findStatic(containers, "root", MethodType.methodType(container)),
                        lookup.findVirtual(container, "children", MethodType.methodType(Stream.class)),
                        lookup.findVirtual(container, "threads", MethodType.methodType(Stream.class))));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return Optional.empty(); // not exported to us: the JSON dump it is
            }
        }
    }

    private ThreadContainerWalk() {
    }

    /** Whether this JVM lets the walk see the JDK's thread containers. */
    static boolean available() {
        return HANDLES.isPresent();
    }

    /** Calls {@code visit} for every live thread, with its container's name as a thread dump gives it. */
    static void forEachThread(java.util.function.Consumer<ThreadSnapshot> visit) {
        Handles h = HANDLES.orElseThrow();
        try {
            walk(h, h.root().invoke(), visit);
        } catch (Throwable t) {
            throw new IllegalStateException("could not walk the thread containers", t);
        }
    }

    private static void walk(Handles h, Object container, java.util.function.Consumer<ThreadSnapshot> visit)
            throws Throwable {
        String name = String.valueOf(container);
        try (Stream<?> threads = (Stream<?>) h.threads().invoke(container)) {
            threads.map(Thread.class::cast).forEach(thread -> snapshot(thread, name).ifPresent(visit));
        }
        List<?> children;
        try (Stream<?> stream = (Stream<?>) h.children().invoke(container)) {
            children = stream.toList();
        }
        for (Object child : children) {
            walk(h, child, visit);
        }
    }

    private static Optional<ThreadSnapshot> snapshot(Thread thread, String container) {
        Thread.State state = thread.getState();
        if (state == Thread.State.NEW || state == Thread.State.TERMINATED) {
            return Optional.empty();
        }
        List<String> stack = Arrays.stream(thread.getStackTrace()).map(StackTraceElement::toString).toList();
        return Optional.of(new ThreadSnapshot(thread.threadId(), thread.getName(), thread.isVirtual(),
                thread.getState().name(), container, stack, blocker(thread)));
    }

    /**
     * What the thread waits for: for a platform thread the lock and its owner, as the JVM knows them (a monitor it is
     * BLOCKED on too, which is how a deadlock shows); for a virtual thread the object it parked on, if any.
     */
    private static String blocker(Thread thread) {
        if (!thread.isVirtual()) {
            ThreadInfo info = THREADS.getThreadInfo(thread.threadId());
            if (info != null && info.getLockName() != null) {
                return info.getLockName() + (info.getLockOwnerId() < 0 ? ""
                        : " held by #" + info.getLockOwnerId() + " \"" + info.getLockOwnerName() + "\"");
            }
        }
        Object blocker = LockSupport.getBlocker(thread);
        return blocker == null ? "" : String.valueOf(blocker);
    }
}
