package io.employeemgmt.title;

import static org.assertj.core.api.Assertions.assertThat;

import io.employeemgmt.support.ApiTestBase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TitleApiTest extends ApiTestBase {

    @Test
    void distinctTitlesWithCurrentHeadcount() {
        JsonNode titles = api.get("/api/v1/titles").json();
        Map<String, Long> expected = new HashMap<>();
        jdbc.sql("SELECT title, count(*) FILTER (WHERE to_date = '9999-12-31') AS n FROM titles GROUP BY title")
                .query((rs, row) -> expected.put(rs.getString("title"), rs.getLong("n")))
                .list();
        assertThat(titles).hasSize(expected.size());
        for (JsonNode title : titles) {
            assertThat(title.path("currentHeadcount").asLong())
                    .isEqualTo(expected.get(title.path("title").asString()));
        }
        assertThat(expected).containsKeys("Engineer", "Senior Engineer", "Staff", "Manager");
    }
}
