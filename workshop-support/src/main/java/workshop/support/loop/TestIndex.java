package workshop.support.loop;

import java.io.IOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which exercises' tests use a class, read from the compiled test classes: each test class's exercise tag
 * ({@code @Tag("01.3")}, nested classes take their outer class's) and the classes its constant pool names. It answers
 * "a saved file that declares no exercise: whose tests does it concern?".
 */
final class TestIndex {

    private static final String TAG = "Lorg/junit/jupiter/api/Tag;";
    private static final String TAGS = "Lorg/junit/jupiter/api/Tags;";

    private final Map<String, Set<String>> exercisesByUsedClass;

    private TestIndex(Map<String, Set<String>> exercisesByUsedClass) {
        this.exercisesByUsedClass = exercisesByUsedClass;
    }

    static TestIndex of(Path testClasses) throws IOException {
        Map<String, Set<String>> tagsByTopLevel = new HashMap<>();
        Map<String, Set<String>> usedByTopLevel = new HashMap<>();
        if (Files.isDirectory(testClasses)) {
            try (Stream<Path> walk = Files.walk(testClasses)) {
                for (Path file : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
                    String name = model.thisClass().asInternalName();
                    String topLevel = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                    Set<String> tags = tagsByTopLevel.computeIfAbsent(topLevel, k -> new TreeSet<>());
                    model.findAttribute(Attributes.runtimeVisibleAnnotations())
                            .ifPresent(a -> a.annotations().forEach(an -> collectTags(an, tags)));
                    Set<String> used = usedByTopLevel.computeIfAbsent(topLevel, k -> new HashSet<>());
                    for (PoolEntry entry : model.constantPool()) {
                        if (entry instanceof ClassEntry c) {
                            used.add(c.asInternalName());
                        }
                    }
                }
            }
        }
        Map<String, Set<String>> index = new HashMap<>();
        usedByTopLevel.forEach((testClass, used) -> {
            Set<String> exercises = tagsByTopLevel.getOrDefault(testClass, Set.of());
            for (String type : used) {
                index.computeIfAbsent(type, k -> new TreeSet<>()).addAll(exercises);
            }
        });
        return new TestIndex(index);
    }

    private static void collectTags(Annotation annotation, Set<String> tags) {
        String type = annotation.className().stringValue();
        if (type.equals(TAG)) {
            for (AnnotationElement element : annotation.elements()) {
                if (element.value() instanceof AnnotationValue.OfString s && s.stringValue().matches("\\d\\d\\.\\d+")) {
                    tags.add(s.stringValue());
                }
            }
        } else if (type.equals(TAGS)) {
            for (AnnotationElement element : annotation.elements()) {
                if (element.value() instanceof AnnotationValue.OfArray array) {
                    array.values().stream().filter(v -> v instanceof AnnotationValue.OfAnnotation)
                            .forEach(v -> collectTags(((AnnotationValue.OfAnnotation) v).annotation(), tags));
                }
            }
        }
    }

    /** The exercises whose tests name the class of a source file ({@code a/b/Name}) or one of its nested classes. */
    Set<String> exercisesUsing(String internalName) {
        Set<String> found = new TreeSet<>();
        exercisesByUsedClass.forEach((type, exercises) -> {
            if (type.equals(internalName) || type.startsWith(internalName + "$")) {
                found.addAll(exercises);
            }
        });
        return found;
    }
}
