package workshop.support.junit;

import workshop.support.threads.ThreadSnapshot;

import java.util.List;

/** Threads that a test started were still alive after it ended: Go's goleak failing a test, for Java. */
public final class ThreadLeak extends AssertionError {

    private final transient List<ThreadSnapshot> leaked;

    ThreadLeak(String message, List<ThreadSnapshot> leaked) {
        super(message);
        this.leaked = List.copyOf(leaked);
    }

    /** The threads that were still alive, as the last thread dump saw them. */
    public List<ThreadSnapshot> leaked() {
        return leaked;
    }
}
