package workshop.goroutines.examples;

/**
 * The closest thing Java has to a static {@code sync.Once}: the lazy holder idiom. The JVM initializes a class
 * exactly once, and every other thread that needs it waits until that has finished (JLS 12.4.2).
 */
public final class LazyHolder {

    private LazyHolder() {
    }

    record Settings(String source) {
        static Settings load() {
            return new Settings("settings.properties");
        }
    }

    // tag::holder[]
    static Settings settings() {
        return Holder.INSTANCE; // the first call initializes Holder; later calls just read the field
    }

    private static final class Holder {
        static final Settings INSTANCE = Settings.load(); // runs once; concurrent callers wait for it
    }
    // end::holder[]

    public static void main(String[] args) {
        System.out.println(settings());
    }
}
