package workshop.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How long a test (or every test of a class) may run before it fails as stuck: an infinite loop or a deadlock.
 * Without it a test gets {@link workshop.support.junit.ExerciseExtension#DEFAULT_TIME_LIMIT_SECONDS}. The system
 * property {@code workshop.timeScale} multiplies every limit, for slow machines.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface TimeLimit {
    /** Seconds before the test fails as stuck. */
    int seconds();
}
