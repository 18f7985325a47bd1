package workshop.scenarios.jobs.application;

import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.support.testing.Background;
import workshop.support.testing.Parked;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** What the tests of the processor's core share: jobs, and a thread's state watched without trusting it. */
final class PoolTesting {

    private PoolTesting() {
    }

    static List<Job> jobs(String prefix, int count) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            jobs.add(new Job(new JobId(prefix + "-" + i), "payload", 0));
        }
        return jobs;
    }

    static List<JobId> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    /**
     * Waits until {@code thread}, one the code under test started, waits without a time-out (WAITING); fails with
     * {@code id}'s message if it polls (seen TIMED_WAITING again and again), spins, or ends.
     */
    static void awaitWaiting(Thread thread, String id, String what) {
        long deadline = System.nanoTime() + Parked.PATIENCE.toNanos();
        int timedWaitingSeen = 0;
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                throw new AssertionError("[" + id + "] " + what + " should wait for work, but its thread ended: a "
                        + "worker lives as long as the pool and handles job after job (README " + id + ")");
            }
            timedWaitingSeen += state == Thread.State.TIMED_WAITING ? 1 : 0;
            if (timedWaitingSeen >= 100 || System.nanoTime() > deadline) {
                throw new AssertionError("[" + id + "] " + what + " should wait without a time-out until it is "
                        + "signalled (WAITING), but it was " + state + (timedWaitingSeen > 0
                        ? ", a timed wait again and again: is it sleeping or polling in a loop?"
                        : state == Thread.State.RUNNABLE ? ": spinning in a loop?" : "") + " (README " + id + ")");
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** A test's clean-up: whatever state the pool is in, its threads end (a stub's exceptions are ignored here). */
    static void shutDown(WorkerPool pool, ProbeWorker probe, Background<?>... calls) throws InterruptedException {
        probe.finish();
        probe.letInterruptedEnd();
        Parked.stop(calls);
        try {
            pool.closeIntake();
            Background<List<Job>> join = Background.call("[clean-up] interruptAndJoin()", pool::interruptAndJoin);
            join.join(Parked.PATIENCE);
        } catch (RuntimeException notSolvedOrBroken) {
            // the test's own failure is the one to show
        }
    }
}
