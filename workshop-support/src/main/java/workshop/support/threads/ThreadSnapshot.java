package workshop.support.threads;

import java.util.List;


/**
 * One live thread, platform or virtual, as a thread dump saw it.
 *
 * @param id        {@link Thread#threadId()}
 * @param name      the thread's name (often empty for virtual threads)
 * @param virtual   whether it is a virtual thread
 * @param state     {@link Thread.State} as a string, e.g. {@code WAITING}
 * @param container the thread container that owns it, e.g. an executor ({@code <root>} for plain starts)
 * @param stack     its stack, innermost frame first
 * @param blocker   what it is parked on or waits for ({@code ReentrantLock$NonfairSync@1b2c}), or empty
 */
public record ThreadSnapshot(long id, String name, boolean virtual, String state, String container,
                             List<String> stack, String blocker) {

    /** Frames at the top of every parked thread's stack: they say nothing about why it waits. */
    private static final List<String> PARKING = List.of("java.base/java.lang.VirtualThread.", "java.base/java.lang.System$",
            "java.base/jdk.internal.misc.Unsafe.", "java.base/java.util.concurrent.locks.LockSupport.",
            "java.base/java.lang.Object.wait", "java.base/java.lang.Thread.sleep");

    public ThreadSnapshot {
        stack = List.copyOf(stack);
        blocker = blocker == null ? "" : blocker;
    }

    public ThreadSnapshot(long id, String name, boolean virtual, String state, String container, List<String> stack) {
        this(id, name, virtual, state, container, stack, "");
    }

    /** {@code #31 virtual "worker" WAITING} */
    public String headline() {
        return "#" + id + " " + (virtual ? "virtual" : "platform") + " \"" + name + "\" " + state;
    }

    /**
     * Where the thread is in the code a learner or a test wrote: the innermost frame of an exercise's own classes,
     * else the innermost frame that is not the JDK's (a test's, a library's).
     */
    public String whereInUserCode() {
        return stack.stream().filter(Frames::isExerciseCode).findFirst()
                .or(() -> stack.stream().filter(frame -> !Frames.isJdk(frame)).findFirst())
                .orElse(stack.isEmpty() ? "(no Java frames)" : stack.getFirst());
    }

    /** Whether any frame of its stack is in an exercise's own classes (not a test's, a library's or the JDK's). */
    public boolean inExerciseCode() {
        return stack.stream().anyMatch(Frames::isExerciseCode);
    }

    /** Whether it sleeps in {@link Thread#sleep}: waiting by the clock rather than for a signal. */
    public boolean sleeping() {
        return state.equals("TIMED_WAITING") && stack.stream().anyMatch(f -> f.startsWith("java.base/java.lang.Thread.sleep"));
    }

    /**
     * The headline, where in user code the thread is, then its stack from the first frame that is not the parking
     * machinery every blocked thread shares: what a failure message shows of a thread. Frames of the exercise's own
     * classes are marked {@code <- exercise code}.
     */
    public String describe(int maxFrames) {
        StringBuilder out = new StringBuilder(headline());
        if (!"<root>".equals(container)) {
            out.append(" in ").append(container);
        }
        out.append(", at ").append(whereInUserCode());
        if (!blocker.isEmpty()) {
            out.append(", waiting for ").append(blocker);
        }
        int shown = 0;
        boolean plumbing = true;
        for (String frame : stack) {
            plumbing = plumbing && PARKING.stream().anyMatch(frame::startsWith);
            if (plumbing) {
                continue;
            }
            if (shown++ == maxFrames) {
                out.append("\n        ...");
                break;
            }
            out.append("\n        at ").append(frame);
            if (Frames.isExerciseCode(frame)) {
                out.append("   <- exercise code");
            }
        }
        return out.toString();
    }
}
