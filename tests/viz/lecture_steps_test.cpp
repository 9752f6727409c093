// lecture_steps_test.cpp — the lecture narration of `postino-viz --lecture N`
// (visualizer/model/lecture_steps.hpp): parsing a lecture's viz-steps block,
// its errors, resolving the steps against a real scenario's trace, the step in
// force at each cursor position, and every lecture of lectures/en and
// lectures/it resolving against its own scenario.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "model/lecture_steps.hpp"
#include "source/scenario_source.hpp"

using namespace postino::viz;

namespace {

const std::string kSrc = POSTINO_SOURCE_DIR;

TraceModel classic_trace() {
    auto run = run_scenario_file(kSrc + "/scenarios/classic.yaml");
    REQUIRE(run);
    return TraceModel::from_text(run->trace, "classic");
}

const char* kLecture = R"(# 3. The spooling scheme

Some text.

```console
$ postino run scenarios/classic.yaml
```

```viz-steps scenarios/classic.yaml
start                        | Bob's server is **down**.
"TCP connect to port 587"    | Alice's user agent connects to `port 587`.
"DEFERRED" 2                 | The second attempt fails too.
at 3m                        | Bob's server is back | up.
"MAILBOX bob: stored"        | Bob has it.
```
)";

}  // namespace

TEST_CASE("a lecture's viz-steps block is parsed: scenario, selectors, plain text", "[viz][lecture]") {
    auto lec = parse_lecture(kLecture, "l.md");
    REQUIRE(lec);
    CHECK(lec->title == "3. The spooling scheme");
    CHECK(lec->scenario == "scenarios/classic.yaml");
    REQUIRE(lec->steps.size() == 5);
    CHECK(lec->steps[0].by == LectureStep::By::start);
    CHECK(lec->steps[0].narration == "Bob's server is down.");
    CHECK(lec->steps[1].by == LectureStep::By::text);
    CHECK(lec->steps[1].text == "TCP connect to port 587");
    CHECK(lec->steps[1].narration == "Alice's user agent connects to port 587.");
    CHECK(lec->steps[2].occurrence == 2);
    CHECK(lec->steps[3].by == LectureStep::By::time);
    CHECK(lec->steps[3].time_ns == 180'000'000'000);
    CHECK(lec->steps[3].narration == "Bob's server is back | up.");  // only the first '|' separates
    CHECK(lec->steps[4].line == 14);
}

TEST_CASE("a quote inside a text selector is written with a backslash", "[viz][lecture]") {
    auto lec = parse_lecture("```viz-steps s.yaml\n\"SMTP \\\"QUIT\" 2 | a | b\n```\n", "q.md");
    REQUIRE(lec);
    CHECK(lec->steps[0].text == "SMTP \"QUIT");
    CHECK(lec->steps[0].occurrence == 2);
    CHECK(lec->steps[0].narration == "a | b");
    const TraceModel m = classic_trace();
    REQUIRE(resolve_lecture(*lec, m));
    CHECK(lecture_match_line(m, lec->at[0] - 1).find("SMTP \"QUIT\\r\\n\"") != std::string::npos);
}

TEST_CASE("a bad viz-steps block is an error naming the file and line", "[viz][lecture]") {
    const auto err = [](const std::string& md) {
        auto r = parse_lecture(md, "x.md");
        REQUIRE_FALSE(r);
        return r.error().message();
    };
    CHECK(err("# t\nno block here\n") == "x.md: no ```viz-steps block: this lecture has no step text for the visualizer");
    CHECK(err("```viz-steps\nstart | a\n```\n").find("x.md:1: the viz-steps block names no scenario") == 0);
    CHECK(err("```viz-steps s.yaml\nstart a\n```\n").find("x.md:2: a step is `SELECTOR | text`") == 0);
    CHECK(err("```viz-steps s.yaml\nsoon | a\n```\n").find("x.md:2: 'soon': a selector is") == 0);
    CHECK(err("```viz-steps s.yaml\nat tomorrow | a\n```\n").find("x.md:2: 'at tomorrow': expected `at TIME`") == 0);
    CHECK(err("```viz-steps s.yaml\n\"x\" 0 | a\n```\n").find("occurrences count from 1") != std::string::npos);
    CHECK(err("```viz-steps s.yaml\n\"x | a\n```\n").find("x.md:2: a step is") == 0);
    CHECK(err("```viz-steps s.yaml\nstart |\n```\n").find("has no text") != std::string::npos);
    CHECK(err("```viz-steps s.yaml\nstart | a\n").find("never closed") != std::string::npos);
    CHECK(err("```viz-steps s.yaml\nstart | a\n```\n```viz-steps s.yaml\nstart | b\n```\n").find("x.md:4: a second viz-steps block") == 0);
    CHECK(err("```viz-steps s.yaml\n\n```\n").find("has no steps") != std::string::npos);
    // A viz-steps line inside another block is not a block.
    CHECK(err("````md\n```viz-steps s.yaml\nstart | a\n```\n````\n").find("no ```viz-steps block") != std::string::npos);
}

TEST_CASE("lecture steps resolve against the classic story and follow the cursor", "[viz][lecture]") {
    const TraceModel m = classic_trace();
    auto lec = parse_lecture(kLecture, "l.md");
    REQUIRE(lec);
    const postino::Status st = resolve_lecture(*lec, m);
    INFO(lec->problem);
    REQUIRE(st);
    REQUIRE(lec->at.size() == 5);
    CHECK(lec->at[0] == 0);
    // Each text step is in force right after the first (K-th) event that says it.
    CHECK(lecture_match_line(m, lec->at[1] - 1).find("TCP connect to port 587") != std::string::npos);
    CHECK(lecture_match_line(m, lec->at[2] - 1).find("DEFERRED") != std::string::npos);
    std::size_t deferred_before = 0;
    for (std::uint32_t i = 0; i + 1 < lec->at[2]; ++i) deferred_before += lecture_match_line(m, i).find("DEFERRED") != std::string::npos;
    CHECK(deferred_before == 1);
    // `at 3m`: every event at or before 3 min applied, the next one after it.
    CHECK(m.ev(lec->at[3] - 1).t <= 180'000'000'000);
    CHECK(m.ev(lec->at[3]).t > 180'000'000'000);
    CHECK(lecture_match_line(m, lec->at[4] - 1).find("MAILBOX bob: stored") != std::string::npos);
    // The step in force at every cursor position.
    CHECK(lecture_step_at(*lec, 0) == 0u);
    CHECK(lecture_step_at(*lec, lec->at[1] - 1) == 0u);
    CHECK(lecture_step_at(*lec, lec->at[1]) == 1u);
    CHECK(lecture_step_at(*lec, lec->at[3]) == 3u);
    CHECK(lecture_step_at(*lec, static_cast<std::uint32_t>(m.size())) == 4u);
}

TEST_CASE("a step that matches nothing, or out of order, is reported with its line", "[viz][lecture]") {
    const TraceModel m = classic_trace();
    auto a = parse_lecture("```viz-steps s.yaml\nstart | a\n\"no such thing\" | b\n```\n", "l.md");
    REQUIRE(a);
    auto st = resolve_lecture(*a, m);
    REQUIRE_FALSE(st);
    CHECK(st.error().message() == "l.md:3: step \"no such thing\": no event of the trace contains \"no such thing\"");
    CHECK(a->problem == st.error().message());
    auto b = parse_lecture("```viz-steps s.yaml\n\"DEFERRED\" 9 | b\n```\n", "l.md");
    REQUIRE(b);
    CHECK(resolve_lecture(*b, m).error().what == "step \"DEFERRED\" 9: only 2 event(s) contain \"DEFERRED\"");
    auto c = parse_lecture("```viz-steps s.yaml\nat 3m | a\n\"TCP connect to port 587\" | b\n```\n", "l.md");
    REQUIRE(c);
    CHECK(resolve_lecture(*c, m).error().what.find("comes before the step above it") != std::string::npos);
    auto d = parse_lecture("```viz-steps s.yaml\n#100000 | a\n```\n", "l.md");
    REQUIRE(d);
    CHECK(resolve_lecture(*d, m).error().what == "step #100000: the trace has only " + std::to_string(m.size()) + " events");
    // Before any step is in force (the first is not `start`): none.
    auto e = parse_lecture("```viz-steps s.yaml\n#5 | a\n```\n", "l.md");
    REQUIRE(e);
    REQUIRE(resolve_lecture(*e, m));
    CHECK_FALSE(lecture_step_at(*e, 4).has_value());
    CHECK(lecture_step_at(*e, 5) == 0u);
}

TEST_CASE("lecture files are found by number and language", "[viz][lecture]") {
    const std::string dir = kSrc + "/lectures";
    auto f = find_lecture_file(dir, 1, "it");
    REQUIRE(f);
    CHECK(std::filesystem::path(*f).filename().string().starts_with("01-"));
    CHECK(find_lecture_file(dir, 42, "en").error().message().find("--lecture: no lecture 42 (looked for ") == 0);
    CHECK(find_lecture_file(dir, 1, "xx").error().message().find("no lectures in language 'xx'") != std::string::npos);
}

TEST_CASE("every lecture in both languages has steps that resolve against its scenario", "[viz][lecture]") {
    namespace fs = std::filesystem;
    std::set<std::string> numbers[2];
    const char* langs[2] = {"en", "it"};
    std::size_t checked = 0;
    for (int l = 0; l < 2; ++l) {
        for (const auto& e : fs::directory_iterator(kSrc + "/lectures/" + langs[l])) {
            const std::string name = e.path().filename().string();
            if (name.size() < 4 || name[0] < '0' || name[0] > '9' || name[2] != '-' || !name.ends_with(".md")) continue;
            numbers[l].insert(name.substr(0, 2));
            auto lec = load_lecture(kSrc + "/lectures", std::stoi(name.substr(0, 2)), langs[l]);
            INFO(e.path().string());
            REQUIRE(lec);
            auto run = run_scenario_file(kSrc + "/" + lec->scenario);
            INFO(lec->scenario);
            REQUIRE(run);
            const TraceModel m = TraceModel::from_text(run->trace, lec->scenario);
            const postino::Status st = resolve_lecture(*lec, m);
            INFO(lec->problem);
            CHECK(st);
            ++checked;
        }
    }
    CHECK(numbers[0] == numbers[1]);  // the same lectures in both languages
    CHECK(checked >= 2);
}
