package io.employeemgmt.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AuditChangesTest {

    record Employee(String firstName, String lastName, LocalDate hireDate, BigDecimal salary, String phone) {}

    record Account(String username, String passwordHash, String apiToken, Map<String, Object> settings) {}

    // Like the application's mapper (spring.jackson.default-property-inclusion: non_absent) after AuditLog's rebuild.
    private final AuditChanges changes = new AuditChanges(JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_ABSENT))
            .build()
            .rebuild()
            .changeDefaultPropertyInclusion(
                    inclusion -> JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS))
            .build());

    private final Employee before =
            new Employee("Ada", "Lovelace", LocalDate.of(2020, 1, 6), new BigDecimal("100.00"), null);

    @Test
    void anUpdateKeepsOnlyTheChangedFieldsIncludingChangesFromAndToNull() {
        Employee after = new Employee("Ada", "King", LocalDate.of(2020, 1, 6), new BigDecimal("100.0"), "555-0100");
        AuditChanges.Diff diff = changes.diff(before, after);
        assertThat(diff.before()).containsExactly(Map.entry("lastName", "Lovelace"), entry("phone", null));
        assertThat(diff.after()).containsExactly(Map.entry("lastName", "King"), Map.entry("phone", "555-0100"));
        assertThat(changes.toJson(diff.before())).isEqualTo("{\"lastName\":\"Lovelace\",\"phone\":null}");
    }

    @Test
    void aCreateStoresTheNonNullFieldsAndADeleteTheOldOnes() {
        AuditChanges.Diff create = changes.diff(null, before);
        assertThat(create.before()).isNull();
        assertThat(create.after()).containsOnlyKeys("firstName", "lastName", "hireDate", "salary");
        assertThat(create.after().get("hireDate")).isEqualTo("2020-01-06");
        AuditChanges.Diff delete = changes.diff(before, null);
        assertThat(delete.after()).isNull();
        assertThat(delete.before()).containsOnlyKeys("firstName", "lastName", "hireDate", "salary");
    }

    @Test
    void anUpdateWithoutChangesIsEmpty() {
        assertThat(changes.diff(before, before).isEmpty()).isTrue();
        assertThat(changes.diff(Map.of("a", 1), Map.of("a", 1.0)).isEmpty()).isTrue();
    }

    @Test
    void secretsAreRedactedAtAnyDepth() {
        Account old = new Account("pat", "{bcrypt}$2a$10$abc", "tok-1", Map.of("theme", "dark", "clientSecret", "s1"));
        Account now = new Account("pat", "{bcrypt}$2a$10$xyz", "tok-2", Map.of("theme", "light", "clientSecret", "s2"));
        AuditChanges.Diff diff = changes.diff(old, now);
        assertThat(diff.before()).containsEntry("passwordHash", "[REDACTED]").containsEntry("apiToken", "[REDACTED]");
        assertThat(diff.after()).containsEntry("passwordHash", "[REDACTED]").containsEntry("apiToken", "[REDACTED]");
        assertThat(diff.after().get("settings")).isEqualTo(Map.of("theme", "light", "clientSecret", "[REDACTED]"));
        assertThat(changes.toJson(diff.after()))
                .doesNotContain("xyz")
                .doesNotContain("tok-2")
                .doesNotContain("s2");
        assertThat(changes.diff(null, Map.of("password", "hunter2hunter2")).after())
                .isEqualTo(Map.of("password", "[REDACTED]"));
    }

    @Test
    void scalarsAreNotAuditableObjects() {
        assertThatThrownBy(() -> changes.diff(null, "just a string"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object with fields");
        assertThatThrownBy(() -> changes.diff(null, List.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map.entrySet().iterator().next();
    }
}
