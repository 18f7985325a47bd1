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
 */
public record ThreadSnapshot(long id, String name, boolean virtual, String state, String container,
                             List<String> stack) {

    /** Frames at the top of every parked thread's stack: they say nothing about why it waits. */
    private static final List<String> PARKING = List.of("java.base/java.lang.VirtualThread.", "java.base/java.lang.System$",
            "java.base/jdk.internal.misc.Unsafe.", "java.base/java.util.concurrent.locks.LockSupport.",
            "java.base/java.lang.Object.wait", "java.base/java.lang.Thread.sleep");

    /** {@code #31 virtual "worker" WAITING} */
    public String headline() {
        return "#" + id + " " + (virtual ? "virtual" : "platform") + " \"" + name + "\" " + state;
    }

    /** The first frame that is not JDK plumbing: where, in the learner's or test's code, the thread is. */
    public String whereInUserCode() {
        return stack.stream()
                .filter(frame -> !frame.startsWith("java.base/") && !frame.startsWith("jdk."))
                .findFirst()
                .orElse(stack.isEmpty() ? "(no Java frames)" : stack.getFirst());
    }

    /**
     * The headline, where in user code the thread is, then its stack from the first frame that is not the parking
     * machinery every blocked thread shares: what a failure message shows of a thread.
     */
    public String describe(int maxFrames) {
        StringBuilder out = new StringBuilder(headline());
        if (!"<root>".equals(container)) {
            out.append(" in ").append(container);
        }
        out.append(", at ").append(whereInUserCode());
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
        }
        return out.toString();
    }
}
