package net.adgrid.platform;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Stores every {@link Instant} as a JDBC timestamp. EclipseLink 4.0 binds a null {@code Instant}
 * without a type, which PostgreSQL takes for {@code bytea} and refuses for a {@code timestamptz}
 * column; as a {@code Timestamp} it binds nulls with the right type. The JVM runs in UTC, so the
 * conversion keeps the instant.
 */
@Converter(autoApply = true)
public class InstantColumns implements AttributeConverter<Instant, Timestamp> {

  @Override
  public Timestamp convertToDatabaseColumn(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  @Override
  public Instant convertToEntityAttribute(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
