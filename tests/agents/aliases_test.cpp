// aliases_test.cpp — one-to-many, many-to-one, nesting, loops.
#include <catch2/catch.hpp>

#include "agents/aliases.hpp"

using namespace postino::agents;

TEST_CASE("one-to-many and many-to-one aliases expand to mailboxes", "[aliases]") {
    AliasTable t;
    t.add("team@b.example", {"bob@b.example", "carol@b.example", "dave@c.example"});
    t.add("postmaster@b.example", {"bob@b.example"});
    t.add("robert@b.example", {"bob@b.example"});
    auto e = t.expand("Team@B.example");
    CHECK_FALSE(e.loop);
    CHECK(e.recipients == std::vector<std::string>{"bob@b.example", "carol@b.example", "dave@c.example"});
    CHECK(t.expand("robert@b.example").recipients == std::vector<std::string>{"bob@b.example"});
    CHECK(t.expand("bob@b.example").recipients == std::vector<std::string>{"bob@b.example"});
    CHECK(t.is_alias("POSTMASTER@b.example"));
}

TEST_CASE("nested aliases expand and duplicates collapse", "[aliases]") {
    AliasTable t;
    t.add("all@b.example", {"staff@b.example", "students@b.example", "bob@b.example"});
    t.add("staff@b.example", {"bob@b.example", "carol@b.example"});
    t.add("students@b.example", {"erin@b.example"});
    auto e = t.expand("all@b.example");
    CHECK(e.recipients == std::vector<std::string>{"bob@b.example", "carol@b.example", "erin@b.example"});
}

TEST_CASE("alias loops are detected, with the path, instead of expanding forever", "[aliases]") {
    AliasTable t;
    t.add("a@x.example", {"b@x.example"});
    t.add("b@x.example", {"c@x.example", "ok@x.example"});
    t.add("c@x.example", {"a@x.example"});
    auto e = t.expand("a@x.example");
    CHECK(e.loop);
    CHECK(e.loop_path == std::vector<std::string>{"a@x.example", "b@x.example", "c@x.example", "a@x.example"});
    AliasTable deep;
    for (int i = 0; i < kMaxAliasDepth + 5; ++i) {
        deep.add("l" + std::to_string(i) + "@x", {"l" + std::to_string(i + 1) + "@x"});
    }
    CHECK(deep.expand("l0@x").loop);
}
