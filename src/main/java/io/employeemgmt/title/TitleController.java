package io.employeemgmt.title;

import io.employeemgmt.title.TitleDtos.TitleHeadcount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/titles", produces = "application/json")
@Tag(name = "Titles")
class TitleController {

    private final TitleService titles;

    TitleController(TitleService titles) {
        this.titles = titles;
    }

    @GetMapping
    @Operation(summary = "Distinct job titles with the number of employees currently holding each")
    List<TitleHeadcount> titles() {
        return titles.titles();
    }
}
