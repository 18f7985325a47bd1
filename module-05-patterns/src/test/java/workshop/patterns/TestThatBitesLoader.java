package workshop.patterns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;

/**
 * Exercise 05.11's class loader: one per broken version. It defines the broken version ({@link BrokenDurations},
 * renamed) as {@code workshop.patterns.Durations}, and the learner's test class (with its nested classes) again from
 * its class file, so that the test links against the broken version; everything else (JUnit, AssertJ, the JDK, the
 * workshop's support) comes from the parent, as usual.
 *
 * <p>Renaming needs more than {@code ClassFile.transformClass(model, newName, ClassTransform.ACCEPT_ALL)}: that sets
 * the class's own name but keeps the old name in every instruction that refers to the class itself (a static call or
 * field of its own). Here each such instruction is rewritten, and a check that no reference to the old name is left
 * catches a construct this does not handle (a lambda, a nested class) at once, rather than as a linkage error later.
 */
final class TestThatBitesLoader extends ClassLoader {

    static final String TARGET = "workshop.patterns.Durations";

    private final String testClass;
    private final byte[] durations;

    TestThatBitesLoader(ClassLoader parent, Class<?> broken, Class<?> testClass) {
        super("05.11 " + broken.getSimpleName() + " as Durations", parent);
        this.testClass = testClass.getName();
        this.durations = rename(classFile(parent, broken.getName()), ClassDesc.of(broken.getName()),
                ClassDesc.of(TARGET));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (name.equals(TARGET)) {
                    loaded = defineClass(name, durations, 0, durations.length);
                } else if (name.equals(testClass) || name.startsWith(testClass + "$")) {
                    byte[] bytes = classFile(getParent(), name);
                    loaded = defineClass(name, bytes, 0, bytes.length,
                            getParent().loadClass(testClass).getProtectionDomain());
                } else {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    /** The class renamed {@code to}, every reference to itself included, made public as the real one is. */
    static byte[] rename(byte[] bytes, ClassDesc from, ClassDesc to) {
        ClassFile classFile = ClassFile.of();
        ClassModel model = classFile.parse(bytes);
        CodeTransform selfReferences = (code, element) -> {
            switch (element) {
                case FieldInstruction f when f.owner().asSymbol().equals(from) ->
                        code.fieldAccess(f.opcode(), to, f.name().stringValue(), f.typeSymbol());
                case InvokeInstruction i when i.owner().asSymbol().equals(from) ->
                        code.invoke(i.opcode(), to, i.name().stringValue(), i.typeSymbol(), i.isInterface());
                default -> code.with(element);
            }
        };
        byte[] renamed = classFile.build(to, builder -> builder
                .transform(model, ClassTransform.transformingMethodBodies(selfReferences))
                .withFlags(model.flags().flagsMask() | ClassFile.ACC_PUBLIC));
        String old = from.descriptorString().substring(1, from.descriptorString().length() - 1);
        classFile.parse(renamed).constantPool().forEach(entry -> {
            if (entry instanceof ClassEntry c && (c.asInternalName().equals(old)
                    || c.asInternalName().startsWith(old + "$"))) {
                throw new IllegalStateException("[05.11] " + from.displayName() + " still refers to its old name after "
                        + "renaming: keep a broken version to static members, without lambdas or nested classes");
            }
        });
        return renamed;
    }

    private static byte[] classFile(ClassLoader loader, String name) {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("[05.11] no class file " + resource + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
