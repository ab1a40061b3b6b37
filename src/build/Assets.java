import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Static assets with their content's hash in their names, made once at package time (run by the
 * build: {@code java src/build/Assets.java <webapp/static> <output>}).
 *
 * <p>For every stylesheet, script, image and font in the static folder it writes a copy named
 * {@code name.<first 10 hex digits of its SHA-256>.ext} to {@code <output>/static/} and the map
 * from plain to hashed names to {@code <output>/WEB-INF/assets.properties}, which the pages read
 * ({@code #{assets.url('adgrid.css')}}). The copies carry a fixed modification time, so that any
 * httpd serving them from any host gives the same Last-Modified and ETag: a name never changes
 * content, and nothing about it depends on the host that serves it.
 */
public final class Assets {

  private static final Pattern HASHED = Pattern.compile(".+\\.(css|js|svg|png|woff2)$");

  /** 2000-01-01T00:00:00Z: the same on every build and every host. */
  private static final FileTime FIXED = FileTime.fromMillis(946_684_800_000L);

  public static void main(String[] arguments) throws IOException, NoSuchAlgorithmException {
    if (arguments.length != 2) {
      throw new IllegalArgumentException("usage: Assets <static folder> <output folder>");
    }
    Path source = Path.of(arguments[0]);
    Path output = Path.of(arguments[1]);
    Path hashedDir = output.resolve("static");
    Files.createDirectories(hashedDir);
    Files.createDirectories(output.resolve("WEB-INF"));
    TreeMap<String, String> names = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(source)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (!HASHED.matcher(name).matches()) {
        continue;
      }
      byte[] content = Files.readAllBytes(file);
      String hash =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(content))
              .substring(0, 10);
      int dot = name.lastIndexOf('.');
      String hashed = name.substring(0, dot) + "." + hash + name.substring(dot);
      Path target = hashedDir.resolve(hashed);
      Files.write(target, content);
      Files.setLastModifiedTime(target, FIXED);
      names.put(name, hashed);
    }
    try (Writer properties =
        Files.newBufferedWriter(
            output.resolve("WEB-INF/assets.properties"), StandardCharsets.UTF_8)) {
      properties.write("# Made by src/build/Assets.java at package time: plain name = hashed name\n");
      for (var entry : names.entrySet()) {
        properties.write(entry.getKey() + "=" + entry.getValue() + "\n");
      }
    }
    System.out.println("assets: " + names.size() + " hashed into " + hashedDir);
  }
}
