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

    // TODO 04.9: which of these can another thread see before they are written, and how does Java rule that out?
    private String region;
    private int poolSize;
    private List<String> features;

    private Settings() {
    }

    /**
     * The settings that {@code properties} describe: {@code region} (default {@code "eu-west-1"}), {@code pool.size}
     * (default 8) and {@code features}, a comma-separated list (default none).
     */
    public static Settings parse(Map<String, String> properties) {
        Settings settings = new Settings();
        settings.region = properties.getOrDefault("region", "eu-west-1");
        settings.poolSize = Integer.parseInt(properties.getOrDefault("pool.size", "8").strip());
        settings.features = new ArrayList<>();
        for (String feature : properties.getOrDefault("features", "").split(",")) {
            if (!feature.isBlank()) {
                settings.features.add(feature.strip());
            }
        }
        return settings;
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
        private Settings settings;

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
            // TODO 04.9: two threads can both see null here; and a plain field publishes nothing to other threads
            if (settings == null) {
                settings = parse(source.get());
            }
            return settings;
        }
    }
}
