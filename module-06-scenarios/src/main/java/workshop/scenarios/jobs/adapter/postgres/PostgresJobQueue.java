package workshop.scenarios.jobs.adapter.postgres;

import workshop.scenarios.jobs.application.JobQueue;
import workshop.scenarios.jobs.domain.Job;
import workshop.scenarios.jobs.domain.JobId;
import workshop.scenarios.jobs.domain.JobResult;


import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TEMPORARY STAND-IN of J4's PostgresJobQueue (branch i13-j4), in memory: so that Main compiles and runs. */
public final class PostgresJobQueue implements JobQueue, AutoCloseable {

    public record QueueCounts(int ready, int leased, int done, int dead, int results) {
    }

    private static final class Row {
        final Job job;
        int failures;
        Instant visibleAt = Instant.MIN;
        boolean done;
        boolean dead;
        String error;

        Row(Job job) {
            this.job = job;
        }
    }

    private final InstantSource clock;
    private final Map<JobId, Row> rows = new LinkedHashMap<>();
    private final Map<JobId, String> results = new LinkedHashMap<>();

    private PostgresJobQueue(InstantSource clock) {
        this.clock = clock;
    }

    public static PostgresJobQueue open(String jdbcUrl, String user, String password, InstantSource clock) {
        return new PostgresJobQueue(clock);
    }

    public synchronized void enqueue(Collection<Job> jobs) {
        for (Job job : jobs) {
            rows.putIfAbsent(job.id(), new Row(job));
        }
    }

    public synchronized QueueCounts counts() {
        Instant now = clock.instant();
        int ready = 0, leased = 0, done = 0, dead = 0;
        for (Row r : rows.values()) {
            if (r.done) done++;
            else if (r.dead) dead++;
            else if (r.visibleAt.isAfter(now)) leased++;
            else ready++;
        }
        return new QueueCounts(ready, leased, done, dead, results.size());
    }

    public synchronized Map<JobId, String> results() {
        return Map.copyOf(results);
    }

    public synchronized Map<JobId, String> deadLetters() {
        Map<JobId, String> dead = new LinkedHashMap<>();
        rows.forEach((id, r) -> {
            if (r.dead) dead.put(id, r.error);
        });
        return dead;
    }

    @Override
    public synchronized List<Job> lease(int max, Duration visibility) {
        Instant now = clock.instant();
        List<Job> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (out.size() == max) break;
            if (!r.done && !r.dead && !r.visibleAt.isAfter(now)) {
                r.visibleAt = now.plus(visibility);
                out.add(new Job(r.job.id(), r.job.payload(), r.failures));
            }
        }
        return out;
    }

    @Override
    public synchronized void complete(JobResult result) {
        Row r = rows.get(result.id());
        if (r != null && !r.done) {
            r.done = true;
            results.put(result.id(), result.value());
        }
    }

    @Override
    public synchronized void retryLater(JobId id, Duration delay, String error) {
        Row r = rows.get(id);
        r.failures++;
        r.error = error;
        r.visibleAt = clock.instant().plus(delay);
    }

    @Override
    public synchronized void deadLetter(JobId id, String error) {
        Row r = rows.get(id);
        r.dead = true;
        r.error = error;
    }

    @Override
    public synchronized void release(Collection<JobId> ids) {
        for (JobId id : ids) {
            Row r = rows.get(id);
            if (r != null) r.visibleAt = Instant.MIN;
        }
    }

    @Override
    public synchronized int depth() {
        return counts().ready();
    }

    @Override
    public void close() {
    }
}
