package workshop.gc.jcstress;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

/**
 * An object with plain fields, set in its constructor, handed to another thread through a plain field: a data race.
 * The memory model lets the reader see the reference before the constructor's writes (JLS 17.4), so a partly built
 * object is an allowed outcome: jcstress counts how often it shows up.
 */
// tag::plain[]
@JCStressTest
@Outcome(id = "-1, -1, -1, -1", expect = ACCEPTABLE, desc = "not published yet")
@Outcome(id = "8, 4, 32, 320", expect = ACCEPTABLE, desc = "published, fully built")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "published, but partly built: a field still 0")
@State
public class PlainFields {

    static final class Limits {
        int poolSize;                  // plain fields: no promise to a thread that finds this object through a race
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

    int size = 8;                      // read from a field, so that the JIT cannot fold the constructor into constants
    Limits limits;                     // plain, not volatile: the hand-over is a data race

    @Actor
    public void publisher() {
        limits = new Limits(size);
    }

    @Actor
    public void reader(IIII_Result r) {
        Limits seen = limits;          // read the reference once
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
// end::plain[]
