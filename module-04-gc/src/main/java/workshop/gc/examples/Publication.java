package workshop.gc.examples;

/**
 * What the Java memory model promises about an object handed to another thread through a plain field (a data race):
 * only its final fields, and what they reference, are guaranteed to be seen as the constructor left them.
 */
public final class Publication {

    private Publication() {
    }

    // tag::final-fields[]
    static final class Plain {
        int port;                 // a reader that finds this object through a race may see 0

        Plain(int port) {
            this.port = port;
        }
    }

    static final class Frozen {
        final int port;           // JLS 17.5: seen as set by the constructor, race or not

        Frozen(int port) {
            this.port = port;     // (as long as `this` does not escape from the constructor)
        }
    }

    static Plain plain;           // written by one thread, read by another, no lock, not volatile: a data race
    static Frozen frozen;
    static volatile Plain published; // a volatile write publishes everything written before it, final or not
    // end::final-fields[]

    public static void main(String[] args) throws InterruptedException {
        Thread writer = Thread.ofPlatform().start(() -> {
            plain = new Plain(8080);
            frozen = new Frozen(8080);
            published = new Plain(8080);
        });
        writer.join(); // join is a happens-before edge: here every field is seen, which is why races need jcstress
        System.out.println(plain.port + " " + frozen.port + " " + published.port);
    }
}
