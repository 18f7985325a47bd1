package workshop.support.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the places where a class reads shared mutable state with nothing that makes another thread's latest write
 * visible: Java's memory model gives such a read no happens-before edge, so it may see a stale value, and a
 * {@code HashMap} read during another thread's resize may see a broken table. Java has no race detector (Go's
 * {@code go test -race} reports this at run time), and on x86 a stale read is almost never observable in a test,
 * so this looks at the compiled class instead, with the JDK's ClassFile API ({@code java.lang.classfile}).
 *
 * <p>A read counts as ordered after other threads' writes once the method has synchronized: it is a
 * {@code synchronized} method, or the read comes (in the order of the code) after the method entered a monitor
 * ({@code synchronized} block), called into {@code java.util.concurrent.locks} ({@code Lock}, {@code ReadWriteLock},
 * {@code StampedLock}, optimistic reads included) or a synchronizer ({@code Semaphore}, ...), called an atomic's or a
 * {@code VarHandle}'s operation stronger than plain (a spin lock built on an atomic), or called a method of the class
 * that does one of these (a {@code lock()} helper). Methods of the class called before that point are followed. So
 * a fast path that reads a plain flag before taking the lock is reported, and everything after the lock is not.
 * This is coarse on purpose (it does not check that the reader takes the same lock as the writer, nor that the lock
 * is still held): it exists to catch the natural mistakes, a getter with no synchronization at all next to a
 * synchronized writer, and an unsafe fast path. Before that point, a read is safe when it is of
 * <ul>
 *   <li>a {@code volatile} field that methods other than constructors write (a counter, or a reference replaced by
 *       copy-on-write);</li>
 *   <li>a field that only constructors write (final or effectively final: the test publishes the object safely)
 *       whose value is safe to share: {@code java.util.concurrent} (atomics, {@code LongAdder}, concurrent maps),
 *       a {@code Collections.synchronized*} wrapper, a {@code StableValue} (preview in Java 25, JEP 502: set at most
 *       once), an immutable value, a plain lock object, or the seam the test passed in.</li>
 * </ul>
 * Everything else is reported: a field that a method other than a constructor writes (or that a {@code VarHandle}
 * or field updater may write) and that is not volatile; a field, volatile or not, that holds something not safe to
 * share and is changed in place, such as a {@code HashMap}, an array or a mutable object of the class's own. Fields
 * are judged by their values in a freshly constructed instance.
 *
 * <p>Used by the tests of 01.3 to 01.6 and 04.9; {@code SharedStateReadsTest} proves it on known-good and known-bad
 * classes.
 */
public final class SharedStateReads {

    /** One unsafe read: in which method (reached from which entry point), which field, and why it is unsafe. */
    public record UnsafeRead(String entry, String method, String field, String why) {
        @Override
        public String toString() {
            String where = entry.equals(method) ? entry + "()" : entry + "() (in " + method + "())";
            return where + " reads " + field + " with no lock held: " + why;
        }
    }

    /** What a method does, in the order of its code: field accesses, calls, and synchronizing operations. */
    private sealed interface Event permits Access, Call, Sync {
    }

    private record Access(boolean write, String owner, String field) implements Event {
    }

    /** A call of another method; {@code lambda}: not a call but a lambda made of that method (maybe called later). */
    private record Call(String owner, String name, String descriptor, boolean lambda) implements Event {
    }

    /** An operation after which this thread's reads are ordered after other threads' earlier writes. */
    private record Sync() implements Event {
    }

    private record Method(String name, String descriptor, boolean isSynchronized, boolean isPrivate,
                          boolean isConstructor, List<Event> events) {
        String key() {
            return name + descriptor;
        }

        List<Call> calls() {
            return events.stream().filter(Call.class::isInstance).map(Call.class::cast).toList();
        }

        List<Access> accesses() {
            return events.stream().filter(Access.class::isInstance).map(Access.class::cast).toList();
        }
    }

    /** What the analysis knows about the class. */
    private record Analysis(Class<?> type, String self, Map<String, Method> methods, Set<String> synchronizing,
                            Map<String, String> writers, Map<String, FieldModel> fields, boolean reflectiveWrites,
                            Object sample, Object seam) {
    }

    private SharedStateReads() {
    }

    /**
     * The unsafe reads of {@code type}'s methods that other code calls (every method but constructors and private
     * ones, followed into the private methods and lambdas they use).
     *
     * @param sample an instance just constructed, to see what its fields hold
     * @param seam   the object the test passed in as the seam, if any: reading the field that holds it is safe
     */
    public static List<UnsafeRead> of(Class<?> type, Object sample, Object seam) {
        ClassModel model = classModel(type);
        String self = model.thisClass().asInternalName();
        Map<String, Method> methods = new HashMap<>();
        boolean reflectiveWrites = false;
        for (MethodModel m : model.methods()) {
            Method method = read(m, self);
            methods.put(method.key(), method);
            reflectiveWrites |= method.calls().stream().anyMatch(c -> c.owner().equals("java/lang/invoke/VarHandle")
                    || c.owner().matches("java/util/concurrent/atomic/Atomic\\w*FieldUpdater"));
        }
        Map<String, FieldModel> fields = new HashMap<>();
        model.fields().forEach(f -> fields.put(f.fieldName().stringValue(), f));
        Analysis analysis = new Analysis(type, self, methods, synchronizing(methods, self), writers(methods.values()),
                fields, reflectiveWrites, sample, seam);

        List<UnsafeRead> found = new ArrayList<>();
        for (Method entry : methods.values()) {
            if (!entry.isConstructor() && !entry.isPrivate() && !entry.name().startsWith("lambda$")) {
                check(analysis, entry, entry, new HashSet<>(), found);
            }
        }
        found.sort(java.util.Comparator.comparing(UnsafeRead::toString));
        return List.copyOf(new LinkedHashSet<>(found));
    }

    /**
     * Reports the reads {@code method} makes before it first synchronizes; what it calls before that point is
     * followed. Everything after the first synchronizing operation (in the order of the code) counts as ordered.
     */
    private static void check(Analysis analysis, Method entry, Method method, Set<String> seen,
                              List<UnsafeRead> found) {
        if (!seen.add(method.key()) || method.isSynchronized()) {
            return;
        }
        for (Event event : method.events()) {
            switch (event) {
                case Sync ignored -> {
                    return;
                }
                case Access access when !access.write() && access.owner().equals(analysis.self()) -> {
                    FieldModel field = analysis.fields().get(access.field());
                    String why = field == null ? null : whyUnsafe(analysis, field);
                    if (why != null) {
                        found.add(new UnsafeRead(entry.name(), method.name(), access.field(), why));
                    }
                }
                case Call call when call.owner().equals(analysis.self()) -> {
                    Method callee = analysis.methods().get(call.name() + call.descriptor());
                    if (callee == null || callee.isConstructor()) {
                        continue;
                    }
                    check(analysis, entry, callee, seen, found);
                    if (!call.lambda() && analysis.synchronizing().contains(callee.key())) {
                        return; // a lock() helper of the class's own: what follows is ordered
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The compiled class of {@code type}, read from its class loader and parsed with the JDK's ClassFile API. */
    public static ClassModel classModel(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("cannot read the class file of " + type.getName());
            }
            return ClassFile.of().parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Method read(MethodModel m, String self) {
        List<Event> events = new ArrayList<>();
        if (m.code().isPresent()) {
            for (CodeElement element : m.code().get()) {
                switch (element) {
                    case MonitorInstruction monitor when monitor.opcode() == Opcode.MONITORENTER ->
                            events.add(new Sync());
                    case FieldInstruction f -> events.add(new Access(
                            f.opcode() == Opcode.PUTFIELD || f.opcode() == Opcode.PUTSTATIC,
                            f.owner().asInternalName(), f.name().stringValue()));
                    case InvokeInstruction call -> {
                        String owner = call.owner().asInternalName();
                        events.add(new Call(owner, call.name().stringValue(), call.type().stringValue(), false));
                        if (synchronizes(owner, call.name().stringValue())) {
                            events.add(new Sync());
                        }
                    }
                    case InvokeDynamicInstruction indy -> {
                        for (ConstantDesc arg : indy.bootstrapArgs()) {
                            if (arg instanceof DirectMethodHandleDesc target
                                    && target.owner().descriptorString().equals("L" + self + ";")) {
                                events.add(new Call(self, target.methodName(), target.lookupDescriptor(), true));
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        String name = m.methodName().stringValue();
        return new Method(name, m.methodType().stringValue(), m.flags().has(AccessFlag.SYNCHRONIZED),
                m.flags().has(AccessFlag.PRIVATE), name.equals("<init>") || name.equals("<clinit>"), events);
    }

    /**
     * The methods that synchronize, themselves or through a method of the same class that they call (a spin lock's
     * {@code lock()} helper, say).
     */
    private static Set<String> synchronizing(Map<String, Method> methods, String self) {
        Set<String> found = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Method method : methods.values()) {
                if (found.contains(method.key())) {
                    continue;
                }
                boolean viaCallee = method.calls().stream().anyMatch(c -> !c.lambda() && c.owner().equals(self)
                        && found.contains(c.name() + c.descriptor()));
                boolean itself = method.isSynchronized() || method.events().stream().anyMatch(Sync.class::isInstance);
                if (itself || viaCallee) {
                    found.add(method.key());
                    grew = true;
                }
            }
        }
        return found;
    }

    /**
     * Whether a call orders this thread's later reads after another thread's earlier writes: taking a lock of
     * {@code java.util.concurrent.locks} (a spin lock built on an atomic counts too), an atomic's operations, or a
     * {@code VarHandle} access in a mode stronger than plain.
     */
    private static boolean synchronizes(String owner, String name) {
        return owner.startsWith("java/util/concurrent/locks/")
                || owner.matches("java/util/concurrent/(Semaphore|CountDownLatch|CyclicBarrier|Phaser|Exchanger)")
                || owner.startsWith("java/util/concurrent/atomic/") && !name.endsWith("Plain")
                && !name.equals("lazySet")
                || owner.equals("java/lang/invoke/VarHandle") && !name.equals("get") && !name.equals("set")
                && !name.endsWith("Opaque");
    }

    /** Field name to the methods, other than constructors, that write it. */
    private static Map<String, String> writers(Iterable<Method> methods) {
        Map<String, Set<String>> writers = new HashMap<>();
        for (Method method : methods) {
            if (method.isConstructor()) {
                continue;
            }
            for (Access access : method.accesses()) {
                if (access.write()) {
                    writers.computeIfAbsent(access.field(), f -> new LinkedHashSet<>())
                            .add(method.name().startsWith("lambda$") ? "a lambda" : method.name() + "()");
                }
            }
        }
        Map<String, String> joined = new HashMap<>();
        writers.forEach((field, by) -> joined.put(field, String.join(", ", by)));
        return joined;
    }

    /** Why reading {@code field} outside a lock is unsafe, or null if it is safe. */
    private static String whyUnsafe(Analysis analysis, FieldModel field) {
        String name = field.fieldName().stringValue();
        String writtenBy = analysis.writers().get(name);
        boolean reflectiveWrites = analysis.reflectiveWrites();
        Object value = valueOf(analysis.type(), name, analysis.sample());
        if (value != null && value == analysis.seam()) {
            return null;
        }
        boolean isFinal = field.flags().has(AccessFlag.FINAL);
        boolean isVolatile = field.flags().has(AccessFlag.VOLATILE);
        if (!isFinal && (writtenBy != null || reflectiveWrites)) { // the field itself changes after construction
            if (isVolatile) {
                return null; // a volatile read sees the latest volatile write, and everything written before it
            }
            return writtenBy != null
                    ? writtenBy + " writes " + name + ", and " + name + " is not volatile, so this read need not see "
                      + "the latest write"
                    : name + " may be written through a VarHandle or field updater, and a plain read of a field that "
                      + "is not volatile need not see that write";
        }
        if (value == null || safeToShare(value)) {
            return null; // set once by the constructor, and what it holds is safe to share
        }
        return name + " holds a " + value.getClass().getTypeName() + ", which is not safe to share: another thread may "
                + "be changing it while this one reads" + (isVolatile ? " (volatile makes the reference visible, not "
                + "the changes made inside the object)" : "");
    }

    private static Object valueOf(Class<?> type, String name, Object sample) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return Modifier.isStatic(field.getModifiers()) ? field.get(null) : field.get(sample);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read field " + name + " of " + type.getName(), e);
        }
    }

    private static boolean safeToShare(Object value) {
        Class<?> c = value.getClass();
        String name = c.getName();
        return name.startsWith("java.util.concurrent.") // atomics, adders, concurrent collections, locks
                || name.startsWith("java.util.Collections$Synchronized")
                || name.startsWith("java.util.ImmutableCollections$")
                || name.startsWith("jdk.internal.lang.stable.") // StableValue (preview in 25): set at most once
                || c == Object.class // a lock object: no state of its own
                || c == String.class || c.isEnum() || value instanceof Number && name.startsWith("java.lang.")
                || value instanceof Boolean || value instanceof Character || value instanceof Class<?>
                || name.equals("java.lang.invoke.VarHandle") || value instanceof java.lang.invoke.VarHandle;
    }
}
