// follow_test.cpp — live mode reads a growing file: whole lines as they
// come, a half-written line when it is finished, a truncated file restarts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "model/follow.hpp"
#include "model/session.hpp"

using namespace postino;
using namespace postino::viz;

TEST_CASE("following a file as it grows", "[viz][follow]") {
    namespace fs = std::filesystem;
    const fs::path p = fs::temp_directory_path() / "postino-viz-follow-test.jsonl";
    fs::remove(p);
    FollowReader r(p.string());
    TraceModel m(p.string());
    CHECK(r.poll(m) == FollowReader::Status::missing);
    {
        std::ofstream out(p, std::ios::binary);
        out << R"({"postino_trace":1,"seed":1,"scenario":"live","generator":"t"})" "\n"
            << R"({"seq":0,"t":1,"kind":"note","host":"a","text":"first"})" "\n"
            << R"({"seq":1,"t":2,"kind":"note","host":"a","te)";
    }
    CHECK(r.poll(m) == FollowReader::Status::grew);
    CHECK(m.size() == 1);
    CHECK(r.poll(m) == FollowReader::Status::nothing);
    Session s(std::move(m));
    s.to_end();
    {
        std::ofstream out(p, std::ios::binary | std::ios::app);
        out << R"(xt":"second"})" "\n";
    }
    CHECK(r.poll(s.model_mut()) == FollowReader::Status::grew);
    s.grown();
    CHECK(s.size() == 2);
    CHECK(s.at_end());  // the cursor stays at the live end
    CHECK(s.model().label(1) == "second");
    { std::ofstream out(p, std::ios::binary | std::ios::trunc); }
    CHECK(r.poll(s.model_mut()) == FollowReader::Status::restart);
    fs::remove(p);
}
