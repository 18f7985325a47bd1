package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.Item;

import java.util.List;

/**
 * The slow source the cache warms from (a database, another service): every item, one by one, at a cost. An adapter
 * implements it; {@code Main} picks which. Called from one thread at a time.
 */
public interface ItemSource {

    /**
     * The ids of every item there is.
     *
     * @throws SourceUnavailable    if the source cannot answer now
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    List<String> ids() throws SourceUnavailable, InterruptedException;

    /**
     * Loads one item: the slow part. Blocks until the source answers.
     *
     * @throws SourceUnavailable    if the source cannot answer now (a later attempt may succeed)
     * @throws InterruptedException if the calling thread is interrupted while it waits: the load is abandoned
     */
    Item load(String id) throws SourceUnavailable, InterruptedException;
}
