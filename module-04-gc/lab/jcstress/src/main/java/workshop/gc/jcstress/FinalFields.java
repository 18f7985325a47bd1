package workshop.gc.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link PlainFields} with final fields: the same race on the reference, but JLS 17.5 promises that a thread that sees
 * the reference sees the final fields as the constructor left them (as long as {@code this} does not escape from the
 * constructor). A partly built object is forbidden.
 */
@JCStressTest
@Outcome(id = "-1, -1, -1, -1", expect = ACCEPTABLE, desc = "not published yet")
@Outcome(id = "8, 4, 32, 320", expect = ACCEPTABLE, desc = "published, fully built")
@Outcome(expect = FORBIDDEN, desc = "published, but partly built: final fields rule this out")
@State
public class FinalFields {

    static final class Limits {
        // tag::final[]
        final int poolSize;            // final: seen as the constructor set them, even through a data race
        final int minIdle;
        final int queueSize;
        final int timeoutMillis;
        // end::final[]

        Limits(int poolSize) {
            this.poolSize = poolSize;
            this.minIdle = this.poolSize / 2;
            this.queueSize = this.poolSize * 4;
            this.timeoutMillis = this.queueSize * 10;
        }
    }

    int size = 8;
    Limits limits;                     // still plain: the race on the reference is the same as in PlainFields

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
