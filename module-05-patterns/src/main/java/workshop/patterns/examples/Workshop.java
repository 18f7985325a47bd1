package workshop.patterns.examples;

/** Small helpers for the examples: they are programs to run and read, not tests. */
final class Workshop {

    private Workshop() {
    }

    /** Sleeps, turning an interrupt into an unchecked exception with the flag restored (examples only). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
