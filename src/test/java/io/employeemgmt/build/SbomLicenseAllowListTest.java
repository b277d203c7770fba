package io.employeemgmt.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The license gate of the build: every component of the CycloneDX SBOM that ships in the jar
 * (META-INF/sbom/application.cdx.json, written by cyclonedx-maven-plugin at generate-resources) carries a license on
 * config/licenses/allowed-licenses.txt. Works offline: the SBOM already holds each dependency's declared licenses.
 */
class SbomLicenseAllowListTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyShippedDependencyHasALicenseOnTheAllowList() throws IOException {
        JsonNode sbom;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/sbom/application.cdx.json")) {
            assertThat(in)
                    .as("the SBOM in target/classes (cyclonedx-maven-plugin skips it under mvn -o: build online)")
                    .isNotNull();
            sbom = JSON.readTree(in);
        }
        assertThat(sbom.path("components").size()).as("components in the SBOM").isGreaterThan(50);
        assertThat(violations(sbom, allowed())).isEmpty();
    }

    @Test
    void aDependencyUnderAnotherLicenseOrNoneIsReported() {
        JsonNode sbom = JSON.readTree("""
                {"components": [
                  {"purl": "pkg:maven/ok/dual@1", "licenses": [{"license": {"id": "LGPL-2.1-only"}},
                                                               {"license": {"id": "EPL-2.0"}}]},
                  {"purl": "pkg:maven/bad/gpl@1", "licenses": [{"license": {"id": "GPL-3.0-only"}}]},
                  {"purl": "pkg:maven/bad/named@1", "licenses": [{"license": {"name": "Some Custom License"}}]},
                  {"purl": "pkg:maven/bad/none@1"}
                ]}
                """);
        assertThat(violations(sbom, Set.of("EPL-2.0", "Apache-2.0")))
                .containsExactly(
                        "pkg:maven/bad/gpl@1 [GPL-3.0-only]",
                        "pkg:maven/bad/named@1 [Some Custom License]",
                        "pkg:maven/bad/none@1 []");
    }

    /** Components none of whose licenses (ids, names or expressions) is allowed; no license at all is a violation. */
    static List<String> violations(JsonNode sbom, Set<String> allowed) {
        return sbom.path("components")
                .valueStream()
                .map(component -> {
                    List<String> licenses = component
                            .path("licenses")
                            .valueStream()
                            .map(SbomLicenseAllowListTest::licenseOf)
                            .toList();
                    return licenses.stream().anyMatch(allowed::contains)
                            ? null
                            : component.path("purl").asString() + " " + licenses;
                })
                .filter(violation -> violation != null)
                .toList();
    }

    private static String licenseOf(JsonNode choice) {
        if (choice.hasNonNull("expression")) {
            return choice.path("expression").asString();
        }
        JsonNode license = choice.path("license");
        return license.hasNonNull("id")
                ? license.path("id").asString()
                : license.path("name").asString();
    }

    private static Set<String> allowed() throws IOException {
        return Files.readAllLines(Path.of("config/licenses/allowed-licenses.txt"), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toUnmodifiableSet());
    }
}
