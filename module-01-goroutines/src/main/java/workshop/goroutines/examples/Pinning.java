package workshop.goroutines.examples;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

import java.time.Duration;

/**
 * What still pins a virtual thread in JDK 25, and how to see it: blocking inside {@code synchronized} no longer
 * does (JEP 491), blocking inside a class initializer still does. JFR's {@code jdk.VirtualThreadPinned} tells.
 */
public final class Pinning {

    private static final Object LOCK = new Object();

    private Pinning() {
    }

    public static void main(String[] args) throws InterruptedException {
        // tag::watch-pinning[]
        try (RecordingStream events = new RecordingStream()) {
            events.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20)).withStackTrace();
            events.onEvent("jdk.VirtualThreadPinned", Pinning::report);
            events.startAsync();

            Thread.ofVirtual().start(Pinning::sleepHoldingMonitor).join(); // JDK 24+: no event
            Thread.ofVirtual().start(() -> System.out.println(SlowInit.VALUE)).join(); // pinned in <clinit>
            events.stop(); // delivers what was recorded, then stops
        }
        // end::watch-pinning[]
    }

    // tag::monitor-unmounts[]
    static void sleepHoldingMonitor() {
        synchronized (LOCK) {
            pause(Duration.ofMillis(50)); // unmounts; the monitor stays with the virtual thread, not the carrier
        }
    }
    // end::monitor-unmounts[]

    // tag::clinit-pins[]
    static final class SlowInit {
        static final String VALUE;

        static {
            pause(Duration.ofMillis(50)); // blocks under a native frame (class initialization): still pins
            VALUE = "initialized";
        }
    }
    // end::clinit-pins[]

    private static void report(RecordedEvent event) {
        String where = event.getStackTrace() == null ? "?" : event.getStackTrace().getFrames().stream()
                .map(frame -> frame.getMethod().getType().getName() + "." + frame.getMethod().getName())
                .filter(name -> name.startsWith("workshop."))
                .findFirst().orElse("?");
        System.out.println("jdk.VirtualThreadPinned: " + event.getString("pinnedReason") + ", in " + where);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
