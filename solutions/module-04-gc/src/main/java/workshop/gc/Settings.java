package workshop.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Exercise 04.9: Publish an immutable object safely
 *
 * <p>Settings are read once, lazily, on first use, and then shared by every thread. This code works in every test you
 * run by hand and is still wrong: find the data races and remove them, so that every thread sees the same, completely
 * built settings, built exactly once.
 *
 * <pre>{@code
 * type Settings struct{ Region string; PoolSize int; Features []string }
 * var settings = sync.OnceValue(func() *Settings { return parse(os.Environ()) })
 * s := settings() // in any goroutine: built once, and the build happens before every return (Go memory model)
 * }</pre>
 */
public final class Settings {

    // final: whoever sees the reference sees these as the constructor wrote them, however the reference reached it
    private final String region;
    private final int poolSize;
    private final List<String> features;

    private Settings(String region, int poolSize, List<String> features) {
        this.region = region;
        this.poolSize = poolSize;
        this.features = List.copyOf(features); // an immutable copy: nobody can change it later, nobody holds it
    }

    /**
     * The settings that {@code properties} describe: {@code region} (default {@code "eu-west-1"}), {@code pool.size}
     * (default 8) and {@code features}, a comma-separated list (default none).
     */
    public static Settings parse(Map<String, String> properties) {
        List<String> features = new ArrayList<>();
        for (String feature : properties.getOrDefault("features", "").split(",")) {
            if (!feature.isBlank()) {
                features.add(feature.strip());
            }
        }
        return new Settings(properties.getOrDefault("region", "eu-west-1"),
                Integer.parseInt(properties.getOrDefault("pool.size", "8").strip()), features);
    }

    public String region() {
        return region;
    }

    public int poolSize() {
        return poolSize;
    }

    /** The enabled features, in the order given; the list cannot be changed. */
    public List<String> features() {
        return features;
    }

    @Override
    public String toString() {
        return "Settings[region=" + region + ", poolSize=" + poolSize + ", features=" + features + "]";
    }

    /**
     * Settings built on first use from a source of properties, then shared: {@link #get()} may be called by many
     * threads at once.
     */
    public static final class Lazy implements Supplier<Settings> {

        private final Supplier<? extends Map<String, String>> source;
        private final Object lock = new Object();
        private volatile Settings settings; // a volatile write publishes the settings; a volatile read sees them

        /** Nothing is read from {@code source} before the first {@link #get()}. */
        public Lazy(Supplier<? extends Map<String, String>> source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * The settings: built from the source by the first call, returned as they are by every later one. The source
         * is read exactly once, however many threads call this at once; the others wait until the settings are
         * built. If the source throws, this call throws what it threw and the next call tries again.
         *
         * <p>Memory consistency effects: building the settings happens-before every return of this method.
         */
        @Override
        public Settings get() {
            Settings built = settings; // one volatile read on the fast path
            if (built == null) {
                synchronized (lock) {
                    built = settings; // checked again under the lock: another thread may have built them meanwhile
                    if (built == null) {
                        built = parse(source.get());
                        settings = built;
                    }
                }
            }
            return built;
        }
    }
}
