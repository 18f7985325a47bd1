package workshop.gc.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PlainFields} with the reference handed over through a volatile field: no data race any more. The volatile
 * write happens-before every volatile read that sees it (JLS 17.4.4), and the constructor's writes come before the
 * volatile write in program order, so a reader that sees the reference sees the whole object, final fields or not.
 */
@JCStressTest
@Outcome(id = "-1, -1, -1, -1", expect = ACCEPTABLE, desc = "not published yet")
@Outcome(id = "8, 4, 32, 320", expect = ACCEPTABLE, desc = "published, fully built")
@Outcome(expect = FORBIDDEN, desc = "published, but partly built: the volatile hand-over rules this out")
@State
public class VolatileReference {

    static final class Limits {
        int poolSize;                  // plain fields, as in PlainFields
        int minIdle;
        int queueSize;
        int timeoutMillis;

        Limits(int poolSize) {
            this.poolSize = poolSize;
            this.minIdle = this.poolSize / 2;
            this.queueSize = this.poolSize * 4;
            this.timeoutMillis = this.queueSize * 10;
        }
    }

    int size = 8;
    // tag::volatile[]
    volatile Limits limits;            // a volatile write publishes everything written before it
    // end::volatile[]

    @Actor
    public void publisher() {
        limits = new Limits(size);
    }

    @Actor
    public void reader(IIII_Result r) {
        Limits seen = limits;
        if (seen == null) {
            r.r1 = r.r2 = r.r3 = r.r4 = -1;
        } else {
            r.r1 = seen.poolSize;
            r.r2 = seen.minIdle;
            r.r3 = seen.queueSize;
            r.r4 = seen.timeoutMillis;
        }
    }
}
