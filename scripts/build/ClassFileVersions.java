import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step, run by the parent pom on each application jar after the shade step and before its class-data
 * archive is made: rewrites the jar's class files older than Java 6 (class file version below 50) as Java 8
 * class files with stack map frames computed by ASM; the code itself is left as it is. JDK 17 keeps no such
 * class in a class-data archive ("Pre JDK 6 class not supported by CDS") and checks it with the old
 * type-inferring verifier at every start: picocli, compiled for Java 5, is some 230 classes of both jars,
 * loaded by every command (docs/BENCHMARKS.md has what it saves). Entries keep their order and times; a jar
 * without such classes is left untouched.
 *
 *   java -cp asm.jar scripts/build/ClassFileVersions.java JAR
 */
public final class ClassFileVersions {
  private static final int JAVA_6 = 50;

  private ClassFileVersions() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java -cp asm.jar scripts/build/ClassFileVersions.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path rewritten = jar.resolveSibling(jar.getFileName() + ".rewriting");
    TreeMap<String, Integer> byPackage = new TreeMap<>();
    try (ZipFile in = new ZipFile(jar.toFile());
        URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        OutputStream file = Files.newOutputStream(rewritten);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        byte[] bytes;
        try (InputStream s = in.getInputStream(entry)) {
          bytes = s.readAllBytes();
        }
        if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
          bytes = asJava8(bytes, classes);
          String name = entry.getName();
          byPackage.merge(name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "", 1, Integer::sum);
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    }
    if (byPackage.isEmpty()) {
      Files.delete(rewritten);
      System.out.println("[build] " + jar.getFileName() + ": no class file older than Java 6");
      return;
    }
    Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("[build] " + jar.getFileName() + ": class files older than Java 6 rewritten as Java 8 "
        + "(so that the class-data archive can keep them): " + byPackage);
  }

  private static int majorVersion(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  /** The same class as a Java 8 class file; frames computed with the jar's own classes for common supertypes. */
  private static byte[] asJava8(byte[] classFile, ClassLoader jarClasses) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected ClassLoader getClassLoader() {
        return jarClasses;
      }
    };
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
      }
    }, ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }
}
