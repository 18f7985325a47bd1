package workshop.goroutines.examples;

/**
 * Where a thread's stack lives: a platform thread reserves one up front; a virtual thread keeps its frames in heap
 * objects while it is unmounted, so its builder has no stack size to set.
 */
public final class Stacks {

    private Stacks() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runnable task = () -> System.out.println("depth is whatever the code needs");
        // tag::stack-size[]
        Thread platform = Thread.ofPlatform()
                .stackSize(512 * 1024)      // a request for reserved address space (default: -Xss); may be ignored
                .unstarted(task);
        Thread virtual = Thread.ofVirtual() // no stackSize(): frames are copied to heap "stack chunks" on unmount
                .unstarted(task);
        // end::stack-size[]
        platform.start();
        virtual.start();
        platform.join();
        virtual.join();
    }
}
