package workshop.support.loop;

import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * What other classes may depend on in a set of class files: their names, supertypes, flags, non-private fields (with
 * constant values, which javac copies into the classes that use them) and non-private methods. When it changes, the
 * classes compiled against the old one may no longer link ({@code NoSuchMethodError}): the watcher then recompiles
 * the whole module. Anonymous and local classes are left out (nothing else can name them).
 */
final class ApiFingerprint {

    private ApiFingerprint() {
    }

    static String of(Collection<Path> classFiles) throws IOException {
        TreeSet<String> lines = new TreeSet<>();
        for (Path file : classFiles) {
            if (!Files.isRegularFile(file) || isAnonymousOrLocal(file.getFileName().toString())) {
                continue;
            }
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
            String name = model.thisClass().asInternalName();
            List<String> supertypes = new ArrayList<>();
            model.superclass().ifPresent(s -> supertypes.add(s.asInternalName()));
            model.interfaces().forEach(i -> supertypes.add(i.asInternalName()));
            lines.add(name + " flags " + model.flags().flagsMask() + " extends " + supertypes);
            model.findAttribute(Attributes.permittedSubclasses()).ifPresent(p -> lines.add(name + " permits "
                    + p.permittedSubclasses().stream().map(c -> c.asInternalName()).sorted().toList()));
            model.findAttribute(Attributes.record()).ifPresent(r -> lines.add(name + " record "
                    + r.components().stream().map(c -> c.name().stringValue() + c.descriptor().stringValue()).toList()));
            for (FieldModel field : model.fields()) {
                if (!field.flags().has(AccessFlag.PRIVATE)) {
                    lines.add(name + " field " + field.fieldName().stringValue() + " " + field.fieldType().stringValue()
                            + " " + field.flags().flagsMask() + field.findAttribute(Attributes.constantValue())
                            .map(c -> " = " + c.constant().constantValue()).orElse(""));
                }
            }
            for (MethodModel method : model.methods()) {
                if (!method.flags().has(AccessFlag.PRIVATE) && !method.flags().has(AccessFlag.SYNTHETIC)) {
                    lines.add(name + " method " + method.methodName().stringValue()
                            + method.methodType().stringValue() + " " + method.flags().flagsMask());
                }
            }
        }
        return String.join("\n", lines);
    }

    /** {@code Outer$1.class}, {@code Outer$1Local.class}: javac numbers them, and nothing outside can use them. */
    static boolean isAnonymousOrLocal(String classFileName) {
        int dollar = classFileName.lastIndexOf('$');
        return dollar >= 0 && dollar + 1 < classFileName.length()
                && Character.isDigit(classFileName.charAt(dollar + 1));
    }
}
