package workshop.scenarios.deploy.adapter.source;

import workshop.scenarios.deploy.application.ItemSource;
import workshop.scenarios.deploy.domain.Item;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A slow source (GIVEN code, not an exercise), as a database or another service would be for a cache: items
 * {@code item-1} to {@code item-N}, each loaded in {@code warmUp / N}, so that loading them all takes about
 * {@code warmUp}. It answers interruption at once.
 */
public final class SlowSource implements ItemSource {

    private final int count;
    private final Duration perItem;

    /**
     * @param count  how many items there are: at least 1
     * @param warmUp about how long loading every item takes: not negative
     */
    public SlowSource(int count, Duration warmUp) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("negative warmUp: " + warmUp);
        }
        this.count = count;
        this.perItem = warmUp.dividedBy(count);
    }

    @Override
    public List<String> ids() {
        return IntStream.rangeClosed(1, count).mapToObj(n -> "item-" + n).toList();
    }

    @Override
    public Item load(String id) throws InterruptedException {
        Thread.sleep(perItem);
        return new Item(id, "Item " + id.substring(id.indexOf('-') + 1));
    }
}
