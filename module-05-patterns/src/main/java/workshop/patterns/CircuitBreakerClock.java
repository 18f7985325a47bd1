package workshop.patterns;

/**
 * The time source of exercise 05.7's {@link CircuitBreaker}: the breaker reads the time only through it, so that a
 * test can replace it by a clock it moves by hand (Go's {@code testing/synctest} gives Go tests the same control).
 */
@FunctionalInterface
public interface CircuitBreakerClock {

    /** The current time in nanoseconds, from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** The system clock: {@link System#nanoTime()}, which never jumps when the wall clock is set. */
    static CircuitBreakerClock system() {
        return System::nanoTime;
    }
}
