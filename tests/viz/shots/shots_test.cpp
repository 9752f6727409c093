// shots_test.cpp — screenshot tests: run the real postino-viz under Xvfb +
// Mesa (llvmpipe), render traces at chosen moments, and check the picture:
// not blank, the expected lanes, colours and panels where the program says it
// drew them (its --report lists points and colours; we look them up in the
// PNG). Registered per group by visualizer/CMakeLists.txt through xvfb-run.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stb_image.h>
#include <string>

namespace {

const std::string kBin = POSTINO_VIZ_BIN;
const std::string kOut = POSTINO_SHOTS_DIR;

std::string fixture(const std::string& f) { return std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures/" + f; }
std::string scenario(const std::string& f) { return std::string(POSTINO_SOURCE_DIR) + "/scenarios/" + f; }

struct Shot {
    int code = -1;
    int w = 0, h = 0;
    std::vector<unsigned char> px;  // RGBA
    nlohmann::json report;
    std::string log;

    struct Rgb {
        int r, g, b;
    };
    [[nodiscard]] Rgb at(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4;
        return {px[i], px[i + 1], px[i + 2]};
    }
    // True when a pixel within `r` of (x, y) has colour `hex` (within `tol` per channel).
    [[nodiscard]] bool near(double x, double y, const std::string& hex, int r = 3, int tol = 40) const {
        const int cr = std::stoi(hex.substr(1, 2), nullptr, 16), cg = std::stoi(hex.substr(3, 2), nullptr, 16),
                  cb = std::stoi(hex.substr(5, 2), nullptr, 16);
        for (int dy = -r; dy <= r; ++dy) {
            for (int dx = -r; dx <= r; ++dx) {
                const int px_ = static_cast<int>(x) + dx, py = static_cast<int>(y) + dy;
                if (px_ < 0 || py < 0 || px_ >= w || py >= h) continue;
                const Rgb c = at(px_, py);
                if (std::abs(c.r - cr) <= tol && std::abs(c.g - cg) <= tol && std::abs(c.b - cb) <= tol) return true;
            }
        }
        return false;
    }
    [[nodiscard]] std::vector<nlohmann::json> probes(const std::string& prefix) const {
        std::vector<nlohmann::json> out;
        for (const auto& p : report["probes"]) {
            if (p["name"].get<std::string>().rfind(prefix, 0) == 0) out.push_back(p);
        }
        return out;
    }
    [[nodiscard]] std::size_t distinct_colours() const {
        std::set<unsigned> seen;
        for (std::size_t i = 0; i + 3 < px.size(); i += 4 * 7) seen.insert((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        return seen.size();
    }
    // The one probe with this exact name (fails the test when absent).
    [[nodiscard]] nlohmann::json probe(const std::string& name) const {
        for (const auto& p : report["probes"]) {
            if (p["name"] == name) return p;
        }
        FAIL("no probe named " << name);
        return {};
    }
    // A lane line is visible along a stretch of it.
    [[nodiscard]] bool lane_visible(const nlohmann::json& lane) const {
        for (int dy = -60; dy <= 60; dy += 3) {
            if (near(lane["x"].get<double>(), lane["y"].get<double>() + dy, lane["color"].get<std::string>(), 1, 30)) return true;
        }
        return false;
    }
    // Checks a probe is visible in the picture (its colour near its point).
    void check_probe(const nlohmann::json& p, int radius = 3) const {
        INFO("probe " << p["name"].get<std::string>() << " at " << p["x"].get<double>() << "," << p["y"].get<double>()
                      << " colour " << p["color"].get<std::string>());
        CHECK(near(p["x"].get<double>(), p["y"].get<double>(), p["color"].get<std::string>(), radius));
    }
};

Shot shoot(const std::string& name, const std::string& input, const std::string& args, int w = 1600, int h = 900) {
    std::filesystem::create_directories(kOut);
    Shot s;
    const std::string png = kOut + "/" + name + ".png", json = kOut + "/" + name + ".json", log = kOut + "/" + name + ".log";
    std::filesystem::remove(png);
    const std::string in = input.empty() ? std::string() : "\"" + input + "\"";
    const std::string cmd = "\"" + kBin + "\" " + in + " --screenshot \"" + png + "\" --report \"" + json +
                            "\" --size " + std::to_string(w) + "x" + std::to_string(h) + " " + args + " > \"" + log +
                            "\" 2>&1";
    const int rc = std::system(cmd.c_str());
    s.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    std::ifstream lf(log);
    s.log.assign(std::istreambuf_iterator<char>(lf), {});
    INFO(cmd << "\n" << s.log);
    REQUIRE(std::filesystem::exists(png));
    int n = 0;
    unsigned char* data = stbi_load(png.c_str(), &s.w, &s.h, &n, 4);
    REQUIRE(data != nullptr);
    s.px.assign(data, data + static_cast<std::size_t>(s.w) * static_cast<std::size_t>(s.h) * 4);
    stbi_image_free(data);
    std::ifstream rf(json);
    s.report = nlohmann::json::parse(rf);
    return s;
}

}  // namespace

TEST_CASE("demo: the handshake, with lanes, DNS and TCP colours and the cursor", "[shots][demo]") {
    const Shot s = shoot("demo-handshake", fixture("demo.jsonl"), "--at '#13'");
    REQUIRE(s.code == 0);
    CHECK(s.w == 1600);
    CHECK(s.h == 900);
    CHECK(s.distinct_colours() > 60);  // not blank: text, lanes, arrows
    for (const char* host : {"pc.alice.example", "ns.example", "server.example"}) {
        const auto t = s.probes(std::string("title:") + host);
        REQUIRE(t.size() == 1);
        s.check_probe(t[0]);
        const auto lane = s.probes(std::string("lane:") + host);
        REQUIRE(lane.size() == 1);
        // The lane line is visible somewhere along a stretch of it.
        bool seen = false;
        for (int dy = -60; dy <= 60 && !seen; dy += 3) {
            seen = s.near(lane[0]["x"].get<double>(), lane[0]["y"].get<double>() + dy, lane[0]["color"].get<std::string>(), 1, 30);
        }
        CHECK(seen);
    }
    const auto cursor = s.probes("cursor");
    REQUIRE(cursor.size() == 1);
    s.check_probe(cursor[0], 2);
    const auto dns = s.probes("arrow:DNS:");
    REQUIRE_FALSE(dns.empty());
    CHECK(dns[0]["color"] == "#f0aa3c");  // the dark theme's DNS colour
    s.check_probe(dns[0]);
    const auto syn = s.probes("arrow:TCP:SYN seq=0");
    REQUIRE(syn.size() == 1);
    s.check_probe(syn[0]);
    CHECK(s.report["index"] == 13);
    s.check_probe(s.probes("narration").at(0));
}

TEST_CASE("demo: the lost segment is red and the link is drawn broken", "[shots][demo]") {
    const Shot s = shoot("demo-loss", fixture("demo.jsonl"), "--at '#35'");
    REQUIRE(s.code == 0);
    // The lost segments: red arrows (or, if too close to read, a red fold).
    bool red = false;
    for (const auto& prefix : {"arrow:TCP:", "fold:"}) {
        for (const auto& p : s.probes(prefix)) {
            if (p["color"] == "#ff4646") {
                red = true;
                s.check_probe(p);
            }
        }
    }
    CHECK(red);
    const auto broken = s.probes("link-down:server.example");
    REQUIRE(broken.size() == 1);
    s.check_probe(broken[0]);
    const auto band = s.probes("band:link down");
    REQUIRE_FALSE(band.empty());
    s.check_probe(band[0]);
}

TEST_CASE("projector theme: white background, dark text, thick lines", "[shots][demo]") {
    const Shot s = shoot("demo-projector", fixture("demo.jsonl"), "--at '#30' --theme projector --font-px 22");
    REQUIRE(s.code == 0);
    std::size_t white = 0, total = 0;
    for (int y = 0; y < s.h; y += 5) {
        for (int x = 0; x < s.w; x += 5) {
            const auto c = s.at(x, y);
            white += (c.r > 240 && c.g > 240 && c.b > 240) ? 1 : 0;
            ++total;
        }
    }
    CHECK(white * 2 > total);  // mostly white
    for (const auto& p : s.probes("title:")) s.check_probe(p);
    s.check_probe(s.probes("cursor").at(0), 2);
}

TEST_CASE("mail: spool entry after a deferral, host down on the map", "[shots][mail]") {
    const Shot s = shoot("mail-spool", fixture("mail-bounce.jsonl"), "--at '#46' --tab spool");
    REQUIRE(s.code == 0);
    const auto card = s.probes("spool:Q1");
    REQUIRE(card.size() == 1);
    s.check_probe(card[0], 2);
    const auto down = s.probes("host:mx.b.example");
    REQUIRE(down.size() == 1);
    CHECK(down[0]["color"] == "#ff4646");
    s.check_probe(down[0]);
    CHECK_FALSE(s.probes("band:host down").empty());
    // The deferral is a red marker on mx.a.example.
    bool deferred = false;
    for (const auto& p : s.probes("marker:MAIL:deferred Q1")) {
        deferred = true;
        s.check_probe(p, 5);  // the cursor line crosses the current event's marker
    }
    CHECK(deferred);
}

TEST_CASE("mail: SMTP dialogue in blue, the DSN in the message panel", "[shots][mail]") {
    const Shot smtp = shoot("mail-smtp", fixture("mail-bounce.jsonl"), "--at '#21' --theme light");
    REQUIRE(smtp.code == 0);
    const auto mail_from = smtp.probes("arrow:SMTP:MAIL FROM:<alice@a.example>");
    REQUIRE(mail_from.size() == 1);
    smtp.check_probe(mail_from[0]);
    const Shot dsn = shoot("mail-dsn", fixture("mail-bounce.jsonl"), "--at '#64' --tab message --message Q2");
    REQUIRE(dsn.code == 0);
    const auto m = dsn.probes("message-dsn");
    REQUIRE(m.size() == 1);
    dsn.check_probe(m[0]);
}

TEST_CASE("mailboxes: a new message highlighted, a POP3 deletion marked", "[shots][mail]") {
    const Shot s = shoot("mailboxes", fixture("mail-mailbox.jsonl"), "--at '#8' --tab mailboxes");
    REQUIRE(s.code == 0);
    const auto fresh = s.probes("mailbox-new:bob:2");
    REQUIRE(fresh.size() == 1);
    s.check_probe(fresh[0], 2);
    const Shot d = shoot("mailboxes-deleted", fixture("mail-mailbox.jsonl"), "--at '#45' --tab mailboxes");
    REQUIRE(d.code == 0);
    CHECK(d.probes("mailbox-deleted:bob:1").size() == 1);
}

TEST_CASE("mailboxes: IMAP folders, flag badges, a move and an expunge", "[shots][mail]") {
    // #10: the cursor on the MOVE's expunge (event 9): the copy is new in INBOX/Archive, the source struck out.
    const Shot s = shoot("mailboxes-imap-move", fixture("mail-imap.jsonl"), "--at '#10' --tab mailboxes", 1600, 900);
    REQUIRE(s.code == 0);
    s.check_probe(s.probe("folder:bob:INBOX"), 2);
    s.check_probe(s.probe("folder:bob:INBOX/Archive"), 2);
    s.check_probe(s.probe("folder:bob:Sent"), 2);
    // INBOX above its Archive above Sent.
    CHECK(s.probe("folder:bob:INBOX")["y"].get<double>() < s.probe("folder:bob:INBOX/Archive")["y"].get<double>());
    CHECK(s.probe("folder:bob:INBOX/Archive")["y"].get<double>() < s.probe("folder:bob:Sent")["y"].get<double>());
    const auto gone = s.probe("mailbox-deleted:bob:2");
    CHECK(gone["color"] == "#ff4646");
    s.check_probe(gone, 2);
    s.check_probe(s.probe("mailbox-new:bob:INBOX/Archive:1"), 2);
    // Badges, each in its own colour: Seen and Flagged kept by the copy, Answered on INBOX's first message.
    for (const char* b : {"badge:bob:INBOX/Archive:1:Seen", "badge:bob:INBOX/Archive:1:Flagged", "badge:bob:1:Answered",
                          "badge:bob:1:Seen", "badge:bob:Sent:1:Seen"}) {
        INFO(b);
        s.check_probe(s.probe(b), 1);
    }
    CHECK(s.probe("badge:bob:1:Seen")["color"] != s.probe("badge:bob:1:Answered")["color"]);
    CHECK(s.probe("badge:bob:INBOX/Archive:1:Flagged")["color"] != s.probe("badge:bob:INBOX/Archive:1:Seen")["color"]);
    CHECK(s.probes("mailbox:bob:3").size() == 1);  // unchanged, unflagged

    // The end: the moved and the expunged messages are gone from INBOX, the \Deleted one too.
    const Shot e = shoot("mailboxes-imap-end", fixture("mail-imap.jsonl"), "--at '#15' --tab mailboxes --theme projector", 1600, 900);
    REQUIRE(e.code == 0);
    CHECK(e.probes("mailbox-deleted:").empty());
    CHECK(e.probes("mailbox-new:").empty());
    CHECK(e.probes("mailbox:bob:2").empty());
    CHECK(e.probes("mailbox:bob:3").empty());
    CHECK(e.probes("mailbox:bob:1").size() == 1);
    CHECK(e.probes("mailbox:bob:INBOX/Archive:1").size() == 1);
    e.check_probe(e.probe("badge:bob:1:Answered"), 1);
}

TEST_CASE("scenario imap-two-clients: the phone's move, seen in the Mailboxes panel", "[shots][scenarios]") {
    const Shot s = shoot("scenario-imap-move", scenario("imap-two-clients.yaml"), "--at 2m00.1504s --tab mailboxes --fold-tcp --around 20");
    REQUIRE(s.code == 0);
    s.check_probe(s.probe("mailbox-deleted:bob:1"), 2);
    s.check_probe(s.probe("mailbox-new:bob:INBOX/Archive:1"), 2);
    s.check_probe(s.probe("badge:bob:INBOX/Archive:1:Seen"), 1);
    s.check_probe(s.probe("badge:bob:1:Seen"), 1);
    s.check_probe(s.probe("marker:MAIL:expunged uid 1 in bob"), 5);
}

TEST_CASE("errors are shown in the window, the exit code says so", "[shots][errors]") {
    const Shot bad = shoot("error-truncated", fixture("bad/truncated.jsonl"), "--at '#2'");
    CHECK(bad.code == 1);
    CHECK(bad.log.find("truncated.jsonl:5:") != std::string::npos);
    CHECK(bad.report["error"].get<std::string>().find("truncated.jsonl:5:") != std::string::npos);
    const auto banner = bad.probes("error-banner");
    REQUIRE(banner.size() == 1);
    bad.check_probe(banner[0], 2);
    const Shot yaml = shoot("error-scenario", fixture("bad/scenario.yaml"), "");
    CHECK(yaml.code == 1);
    CHECK(yaml.log.find("bad/scenario.yaml:6:40: unknown key 'usr' in host; did you mean 'user'?") != std::string::npos);
    CHECK(yaml.report["error"].get<std::string>().find("bad/scenario.yaml:6:40:") != std::string::npos);
    const auto yb = yaml.probes("error-banner");
    REQUIRE(yb.size() == 1);
    yaml.check_probe(yb[0], 2);
}

TEST_CASE("usage errors exit 2 with one clear line", "[shots][errors]") {
    const std::string cmd = "\"" + kBin + "\" \"" + fixture("demo.jsonl") + "\" --screenshot /tmp/x.png --at '#9999' > " + kOut + "/usage.log 2>&1";
    std::filesystem::create_directories(kOut);
    const int rc = std::system(cmd.c_str());
    CHECK(WEXITSTATUS(rc) == 2);
    std::ifstream lf(kOut + "/usage.log");
    const std::string log((std::istreambuf_iterator<char>(lf)), {});
    CHECK(log.find("--at #9999: the trace has 81 events") != std::string::npos);
}

// ---- Real scenarios, run in process by postino-viz (scenarios/*.yaml) ----

TEST_CASE("scenario classic: the SMTP submission while Bob's server is down", "[shots][scenarios]") {
    const Shot s = shoot("scenario-classic", scenario("classic.yaml"), "--at 1.095s --fold-tcp --around 22");
    REQUIRE(s.code == 0);
    CHECK(s.report["index"] == 55);
    CHECK(s.distinct_colours() > 60);
    // Four lanes, in the story's order, each drawn.
    double last_x = 0;
    for (const char* host : {"pc.alice", "mx.a.example", "dns.sim", "mx.b.example"}) {
        INFO(host);
        const auto t = s.probe(std::string("title:") + host);
        CHECK(t["x"].get<double>() > last_x);
        last_x = t["x"].get<double>();
        s.check_probe(t);
        CHECK(s.lane_visible(s.probe(std::string("lane:") + host)));
    }
    // mx.b.example is down: red title dot, a red band on its lane, red on the map.
    CHECK(s.probe("title:mx.b.example")["color"] == "#ff4646");
    s.check_probe(s.probe("band:host down"));
    s.check_probe(s.probe("host:mx.b.example"));
    // The SMTP dialogue in the SMTP colour; the DNS lookup that follows in DNS's.
    const auto mail_from = s.probe("arrow:SMTP:MAIL FROM:<alice@a.example> SIZE=238");
    CHECK(mail_from["color"] == "#5aaaff");
    s.check_probe(mail_from);
    s.check_probe(s.probe("arrow:SMTP:250 2.0.0 Ok: queued as CDFE79EE9A"));
    const auto dns = s.probe("arrow:DNS:DNS query MX b.example");
    CHECK(dns["color"] == "#f0aa3c");
    s.check_probe(dns);
    s.check_probe(s.probe("cursor"), 2);
    // Narration: the scenario's note at the cursor.
    const auto n = s.probes("narration:");
    REQUIRE(n.size() == 1);
    CHECK(n[0]["name"] == "narration:Alice sends a message to bob@b.example through her own server.");
    s.check_probe(n[0]);
}

TEST_CASE("scenario classic: the deferred spool entry, narrated in Italian on a projector", "[shots][scenarios]") {
    const Shot s = shoot("scenario-classic-spool", scenario("classic.yaml"),
                         "--at 1m10s --tab spool --around 8 --theme projector --font-px 24 --lang it", 1920, 1080);
    REQUIRE(s.code == 0);
    CHECK(s.w == 1920);
    CHECK(s.h == 1080);
    const auto card = s.probe("spool:CDFE79EE9A");
    s.check_probe(card, 2);
    // The deferral is a red marker on mx.a.example's lane.
    s.check_probe(s.probe("marker:MAIL:deferred CDFE79EE9A 4.4.1 to bob@b.example"), 5);
    CHECK(s.probe("narration:Alice invia un messaggio a bob@b.example tramite il proprio server.")["color"].is_string());
    // Projector: mostly white.
    std::size_t white = 0, total = 0;
    for (int y = 0; y < s.h; y += 6) {
        for (int x = 0; x < s.w; x += 6) {
            const auto c = s.at(x, y);
            white += (c.r > 240 && c.g > 240 && c.b > 240) ? 1 : 0;
            ++total;
        }
    }
    CHECK(white * 2 > total);
}

TEST_CASE("scenario bounce-after-lifetime: the bounce in Alice's mailbox, the DSN's fields", "[shots][scenarios]") {
    const Shot s = shoot("scenario-bounce", scenario("bounce-after-lifetime.yaml"), "--at 16m4.2s --tab mailboxes --fold-tcp --around 14");
    REQUIRE(s.code == 0);
    CHECK(s.report["index"] == 285);  // the end of the run
    // The expiry and the bounce: red markers on mx.a.example.
    s.check_probe(s.probe("marker:MAIL:bounced 765DBBF8F0 4.4.7 to bob@b.example"), 5);
    // Alice's mailbox: the delay warning (read before) and the new bounce.
    s.check_probe(s.probe("mailbox-new:alice:2"), 2);
    CHECK(s.probe("mailbox:alice:1")["name"] == "mailbox:alice:1");
    // The timeline's bounce tick, magenta.
    const auto tick = s.probe("mark:bounce");
    CHECK(tick["color"] == "#ff50dc");
    s.check_probe(tick, 3);
    CHECK(s.lane_visible(s.probe("lane:mx.b.example")));

    const Shot d = shoot("scenario-bounce-dsn", scenario("bounce-after-lifetime.yaml"),
                         "--at 16m4.2s --tab message --message 24110BAAB8 --theme light --fold-tcp --around 14");
    REQUIRE(d.code == 0);
    d.check_probe(d.probe("message-dsn"));
}

TEST_CASE("scenario alias-one-to-many: one message, two mailboxes at once, a copy waiting", "[shots][scenarios]") {
    const Shot s = shoot("scenario-alias", scenario("alias-one-to-many.yaml"), "--at 1.21s --tab mailboxes --fold-tcp --around 30");
    REQUIRE(s.code == 0);
    for (const char* host : {"pc.alice", "mx.a.example", "dns.sim", "mx.b.example", "mx.c.example"}) {
        INFO(host);
        s.check_probe(s.probe(std::string("title:") + host));
        CHECK(s.lane_visible(s.probe(std::string("lane:") + host)));
    }
    s.check_probe(s.probe("arrow:SMTP:RCPT TO:<team@b.example>"));
    s.check_probe(s.probe("mailbox-new:bob:1"), 2);
    s.check_probe(s.probe("mailbox-new:carol:1"), 2);
    // dave's server is down: its lane has the band, the map shows it red.
    s.check_probe(s.probe("band:host down"));
    const auto c = s.probe("host:mx.c.example");
    CHECK(c["color"] == "#ff4646");
    s.check_probe(c);
    // Before the first note: the scenario's title narrates.
    CHECK_FALSE(s.probes("narration:A group alias: team@b.example reaches three people").empty());
}

// The step text of a lecture's viz-steps block for the step whose selector is `selector`.
static std::string lecture_step_text(const std::string& file, const std::string& selector) {
    std::ifstream in(std::string(POSTINO_SOURCE_DIR) + "/lectures/" + file);
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.rfind("```viz-steps", 0) == 0) inside = true;
        else if (inside && line.rfind("```", 0) == 0) break;
        else if (inside && line.rfind(selector, 0) == 0) {
            std::string text = line.substr(line.find('|') + 1);
            text.erase(0, text.find_first_not_of(' '));
            return text;
        }
    }
    FAIL("no step " << selector << " in lectures/" << file);
    return {};
}

TEST_CASE("lecture narration: --lecture 1 --lang it shows the Italian step text in force", "[shots][lectures]") {
    const Shot s = shoot("lecture-1-it", scenario("first-message.yaml"), "--lecture 1 --lang it --at 1.21s --fold-tcp", 1280, 720);
    REQUIRE(s.code == 0);
    const std::string want = lecture_step_text("it/01-architettura.md", "\"MAILBOX bob: stored\"");
    CHECK(want.find("La parte locale, bob") == 0);
    const auto p = s.probe("narration:" + want);
    s.check_probe(p, 2);
    // Under it, which lecture and which step.
    CHECK_FALSE(s.probes("lecture:1. L'architettura della posta elettronica").empty());
    CHECK_FALSE(s.probes("lecture:1. L'architettura della posta elettronica: agenti utente, server di posta, indirizzi   step 7/10").empty());
    // Lecture mode hides the future.
    CHECK(s.probe("narration:" + want)["color"].is_string());
}

TEST_CASE("lecture narration: --lecture N alone opens the lecture's own scenario, at the start its first step", "[shots][lectures]") {
    const Shot s = shoot("lecture-1-en-start", "", "--lecture 1 --at \"#0\"", 1280, 720);
    REQUIRE(s.code == 0);
    CHECK(s.report["input"].get<std::string>().find("scenarios/first-message.yaml") != std::string::npos);
    CHECK(s.report["index"] == 0);
    s.check_probe(s.probe("narration:" + lecture_step_text("en/01-architecture.md", "start")), 2);
}

TEST_CASE("lecture narration: a lecture that does not exist is one clear line and exit 1", "[shots][lectures]") {
    const Shot s = shoot("lecture-42", scenario("first-message.yaml"), "--lecture 42", 640, 360);
    CHECK(s.code == 1);
    CHECK(s.log.find("postino-viz: --lecture: no lecture 42 (looked for ") != std::string::npos);
}
