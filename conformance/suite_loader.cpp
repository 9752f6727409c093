// suite_loader.cpp — YAML → Suite, with located errors (docs/conformance-format.md).
#include "conformance/suite_loader.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "scenario/yaml_fields.hpp"

#ifndef POSTINO_SOURCE_ROOT
#define POSTINO_SOURCE_ROOT "."
#endif

namespace postino::conformance {

const char* to_string(Protocol p) {
    switch (p) {
        case Protocol::Smtp: return "smtp";
        case Protocol::Pop3: return "pop3";
        case Protocol::Imap: return "imap";
    }
    return "?";
}
const char* to_string(Level l) { return l == Level::Must ? "MUST" : "SHOULD"; }
const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::Pass: return "PASS";
        case Verdict::Fail: return "FAIL";
        case Verdict::Warn: return "WARN";
        case Verdict::Policy: return "POLICY";
        case Verdict::Skip: return "SKIP";
        case Verdict::Error: return "ERROR";
    }
    return "?";
}

namespace {

using scenario::Fields;

const std::vector<std::string_view> kSuiteKeys = {"suite", "title", "protocol", "checks"};
const std::vector<std::string_view> kCheckKeys = {"id",       "item",        "title", "ref",  "level",
                                                  "writes",   "slow", "requires",    "policy", "connections", "steps",
                                                  "plaintext"};
const std::vector<std::string_view> kStepKeys = {"send", "raw", "literal", "expect", "silence", "wait",
                                                 "close", "repeat", "starttls", "steps", "on"};
const std::vector<std::string_view> kStartTlsKeys = {"policy-failed"};
const std::vector<std::string_view> kActions = {"send", "raw", "literal", "expect", "silence",
                                                "wait", "close", "repeat", "starttls"};
const std::vector<std::string_view> kMatchKeys = {
    "code",   "multiline", "max-line", "enhanced", "status",   "tag",      "continuation", "text",
    "not-text", "body",    "not-body", "body-octets", "must",  "must-not", "may",          "no-extra",
    "closed"};
const std::vector<std::string_view> kExpectExtra = {"policy", "capture", "capture-body", "level", "skip-unless", "note",
                                                    "must-answer"};
const std::vector<std::string_view> kLiteralKeys = {"prefix", "bytes", "suffix", "sync"};

class Parser {
public:
    explicit Parser(std::string file) : f_(std::move(file)) {}

    Suite parse(const YAML::Node& root) {
        if (!root || root.IsNull()) throw scenario::ScenarioError(f_.file(), "the suite file is empty");
        f_.check_keys(root, kSuiteKeys, "suite");
        Suite s;
        s.file = f_.file();
        if (!root["suite"]) f_.fail(root, "a suite needs 'suite: NAME'");
        s.name = f_.str(root["suite"], "suite");
        if (root["title"]) s.title = f_.str(root["title"], "title");
        if (!root["protocol"]) f_.fail(root, "a suite needs 'protocol: smtp|pop3|imap'");
        s.protocol = protocol(root["protocol"]);
        if (!root["checks"]) f_.fail(root, "a suite needs a list of 'checks'");
        f_.require_seq(root["checks"], "checks");
        std::set<std::string> ids;
        for (const auto& c : root["checks"]) {
            Check ch = check(c, s.protocol);
            if (!ids.insert(ch.id).second) f_.fail(c["id"], "duplicate check id '" + ch.id + "'");
            s.checks.push_back(std::move(ch));
        }
        return s;
    }

private:
    Protocol protocol(const YAML::Node& n) const {
        const std::string p = f_.str(n, "protocol");
        if (p == "smtp") return Protocol::Smtp;
        if (p == "pop3") return Protocol::Pop3;
        if (p == "imap") return Protocol::Imap;
        f_.fail(n, "protocol must be smtp, pop3 or imap, not '" + p + "'");
    }

    Level level(const YAML::Node& n) const {
        const std::string l = f_.str(n, "level");
        if (l == "MUST") return Level::Must;
        if (l == "SHOULD") return Level::Should;
        f_.fail(n, "level must be MUST or SHOULD, not '" + l + "'");
    }

    // A string or a list of strings.
    std::vector<std::string> strings(const YAML::Node& n, const std::string& what) const {
        if (n.IsSequence()) return f_.str_list(n, what);
        return {f_.str(n, what)};
    }

    Pattern pattern(const YAML::Node& n, const std::string& what) const {
        Pattern p{f_.str(n, what), f_.where(n)};
        // ${var} is expanded at run time; check the syntax with placeholders now.
        const std::string probe = std::regex_replace(p.source, std::regex(R"(\$\{[^}]*\})"), "x");
        try {
            std::regex re(probe, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            f_.fail(n, what + ": not a valid regular expression (" + e.what() + ")");
        }
        return p;
    }

    std::vector<Pattern> patterns(const YAML::Node& n, const std::string& what) const {
        std::vector<Pattern> out;
        if (n.IsSequence()) {
            for (const auto& x : n) out.push_back(pattern(x, what));
        } else {
            out.push_back(pattern(n, what));
        }
        return out;
    }

    Match match(const YAML::Node& n, Protocol proto, const std::vector<std::string_view>& extra_keys) const {
        std::vector<std::string_view> keys = kMatchKeys;
        keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
        f_.check_keys(n, keys, "expect");
        Match m;
        if (n["code"]) {
            if (proto != Protocol::Smtp) f_.fail(n["code"], "'code' is for SMTP replies; use 'status' for " + std::string(to_string(proto)));
            for (const auto& c : strings(n["code"], "code")) {
                static const std::regex kCode("[2-5][0-9x][0-9x]");
                if (!std::regex_match(c, kCode)) f_.fail(n["code"], "code must be three digits like 250, 25x or 5xx, not '" + c + "'");
                m.codes.push_back(c);
            }
        }
        if (n["multiline"]) m.multiline = f_.boolean(n["multiline"], "multiline");
        if (n["max-line"]) m.max_line = static_cast<std::size_t>(f_.integer(n["max-line"], "max-line", 1, 1 << 20));
        if (n["enhanced"]) m.enhanced = f_.boolean(n["enhanced"], "enhanced");
        if (n["status"]) {
            for (const auto& s : strings(n["status"], "status")) {
                const bool ok = proto == Protocol::Pop3 ? (s == "+OK" || s == "-ERR")
                                                        : (s == "OK" || s == "NO" || s == "BAD" || s == "PREAUTH" || s == "BYE");
                if (!ok || proto == Protocol::Smtp) {
                    f_.fail(n["status"], proto == Protocol::Pop3 ? "status must be +OK or -ERR"
                                         : proto == Protocol::Imap ? "status must be OK, NO, BAD, PREAUTH or BYE"
                                                                   : "'status' is for POP3 and IMAP; use 'code' for SMTP");
                }
                m.status.push_back(s);
            }
        }
        if (n["tag"]) {
            if (proto != Protocol::Imap) f_.fail(n["tag"], "'tag' is for IMAP");
            m.tag = f_.str(n["tag"], "tag");
        }
        if (n["continuation"]) m.continuation = f_.boolean(n["continuation"], "continuation");
        if (n["text"]) m.text = patterns(n["text"], "text");
        if (n["not-text"]) m.not_text = patterns(n["not-text"], "not-text");
        if (n["body"]) m.body = patterns(n["body"], "body");
        if (n["not-body"]) m.not_body = patterns(n["not-body"], "not-body");
        if (n["body-octets"]) m.body_octets = f_.str(n["body-octets"], "body-octets");
        if (n["must"]) m.must = patterns(n["must"], "must");
        if (n["must-not"]) m.must_not = patterns(n["must-not"], "must-not");
        if (n["may"]) m.may = patterns(n["may"], "may");
        if (n["no-extra"]) m.no_extra = f_.boolean(n["no-extra"], "no-extra");
        if (n["closed"]) m.closed = f_.boolean(n["closed"], "closed");
        if (proto == Protocol::Imap && !m.tag.empty() && m.continuation) f_.fail(n, "expect either a 'tag' or a 'continuation'");
        return m;
    }

    Expect expect(const YAML::Node& n, Protocol proto) const {
        f_.require_map(n, "expect");
        Expect e;
        e.match = match(n, proto, kExpectExtra);
        if (n["policy"]) {
            f_.require_seq(n["policy"], "policy");
            for (const auto& p : n["policy"]) {
                PolicyAlt alt;
                alt.match = match(p, proto, {"note"});
                if (!p["note"]) f_.fail(p, "a policy alternative needs a 'note' saying why it is allowed");
                alt.note = f_.str(p["note"], "note");
                e.policy.push_back(std::move(alt));
            }
        }
        for (const char* key : {"capture", "capture-body"}) {
            const YAML::Node c = n[key];
            if (!c) continue;
            f_.require_map(c, key);
            for (auto it = c.begin(); it != c.end(); ++it) {
                const std::string var = f_.str(it->first, "variable name");
                static const std::regex kVar("[A-Za-z_][A-Za-z0-9_]*");
                if (!std::regex_match(var, kVar)) f_.fail(it->first, "a variable name is letters, digits and _, not '" + var + "'");
                e.captures.push_back({var, pattern(it->second, key), std::string(key) == "capture-body"});
            }
        }
        if (n["level"]) e.level = level(n["level"]);
        if (n["skip-unless"]) e.skip_unless = pattern(n["skip-unless"], "skip-unless");
        if (n["note"]) e.note = f_.str(n["note"], "note");
        if (n["must-answer"]) e.must_answer = f_.boolean(n["must-answer"], "must-answer");
        return e;
    }

    Step step(const YAML::Node& n, Protocol proto, const std::set<std::string>& conns,
              const std::string& default_conn = "c1") const {
        f_.check_keys(n, kStepKeys, "step");
        Step s;
        s.where = f_.where(n);
        s.conn = default_conn;
        int actions = 0;
        for (auto a : kActions) actions += n[std::string(a)] ? 1 : 0;
        if (actions != 1) {
            f_.fail(n, "a step has exactly one of: send, raw, literal, expect, silence, wait, close, repeat, starttls");
        }
        if (n["on"]) {
            s.conn = f_.str(n["on"], "on");
            if (!conns.count(s.conn)) f_.fail(n["on"], "unknown connection '" + s.conn + "' (declare it under 'connections')");
        }
        if (n["steps"] && !n["repeat"]) f_.fail(n["steps"], "'steps' belongs to a 'repeat' step");
        if (n["send"]) {
            s.kind = StepKind::Send;
            s.lines = strings(n["send"], "send");
        } else if (n["raw"]) {
            s.kind = StepKind::Raw;
            s.bytes = f_.str(n["raw"], "raw");
        } else if (n["literal"]) {
            s.kind = StepKind::Literal;
            const YAML::Node l = n["literal"];
            f_.check_keys(l, kLiteralKeys, "literal");
            if (!l["prefix"] || !l["bytes"]) f_.fail(l, "a literal needs 'prefix' (the command before {n}) and 'bytes'");
            s.prefix = f_.str(l["prefix"], "prefix");
            s.bytes = f_.str(l["bytes"], "bytes");
            if (l["suffix"]) s.suffix = f_.str(l["suffix"], "suffix");
            if (l["sync"]) s.sync_literal = f_.boolean(l["sync"], "sync");
        } else if (n["expect"]) {
            s.kind = StepKind::Expect;
            s.expect = expect(n["expect"], conn_protocol(s.conn, proto));
        } else if (n["silence"]) {
            s.kind = StepKind::Silence;
            s.duration = f_.duration(n["silence"], "silence");
        } else if (n["wait"]) {
            s.kind = StepKind::Wait;
            if (n["wait"].IsScalar() && n["wait"].Scalar() == "delivery") {
                s.delivery_wait = true;
            } else {
                s.duration = f_.duration(n["wait"], "wait");
            }
        } else if (n["close"]) {
            s.kind = StepKind::Close;
            if (!f_.boolean(n["close"], "close")) f_.fail(n["close"], "write 'close: true' (or leave the step out)");
        } else if (n["starttls"]) {
            s.kind = StepKind::StartTls;
            const YAML::Node t = n["starttls"];
            if (t.IsMap()) {
                f_.check_keys(t, kStartTlsKeys, "starttls");
                if (!t["policy-failed"]) f_.fail(t, "write 'starttls: true' or 'starttls: {policy-failed: NOTE}'");
                s.tls_failure_policy = f_.str(t["policy-failed"], "policy-failed");
            } else if (!f_.boolean(t, "starttls")) {
                f_.fail(t, "write 'starttls: true' (or leave the step out)");
            }
        } else {
            s.kind = StepKind::Repeat;
            s.times = static_cast<int>(f_.integer(n["repeat"], "repeat", 1, 10000));
            if (!n["steps"]) f_.fail(n, "a repeat step needs 'steps'");
            f_.require_seq(n["steps"], "steps");
            for (const auto& x : n["steps"]) s.steps.push_back(step(x, proto, conns, s.conn));
        }
        return s;
    }

    static bool has_starttls(const std::vector<Step>& steps) {
        return std::any_of(steps.begin(), steps.end(),
                           [](const Step& s) { return s.kind == StepKind::StartTls || has_starttls(s.steps); });
    }

    Protocol conn_protocol(const std::string& name, Protocol suite) const {
        auto it = conn_protos_.find(name);
        return it == conn_protos_.end() ? suite : it->second;
    }

    Check check(const YAML::Node& n, Protocol proto) {
        f_.check_keys(n, kCheckKeys, "check");
        Check c;
        c.where = f_.where(n);
        for (const char* key : {"id", "title", "ref", "steps"}) {
            if (!n[key]) f_.fail(n, std::string("a check needs '") + key + "'");
        }
        c.id = f_.str(n["id"], "id");
        static const std::regex kId("[A-Za-z0-9][A-Za-z0-9._-]*");
        if (!std::regex_match(c.id, kId)) f_.fail(n["id"], "a check id is letters, digits, '.', '_' and '-', not '" + c.id + "'");
        c.title = f_.str(n["title"], "title");
        c.ref = f_.str(n["ref"], "ref");
        if (n["item"]) c.item = f_.str(n["item"], "item");
        if (n["level"]) c.level = level(n["level"]);
        if (n["writes"]) c.writes = f_.boolean(n["writes"], "writes");
        if (n["slow"]) c.slow = f_.boolean(n["slow"], "slow");
        if (n["plaintext"]) c.plaintext = f_.boolean(n["plaintext"], "plaintext");
        if (n["requires"]) c.requires_caps = strings(n["requires"], "requires");
        if (n["policy"]) c.policy_notes = strings(n["policy"], "policy");
        std::set<std::string> conns = {"c1"};
        conn_protos_.clear();
        conn_protos_["c1"] = proto;
        c.connections.push_back({"c1", proto});
        if (n["connections"]) {
            f_.require_map(n["connections"], "connections");
            for (auto it = n["connections"].begin(); it != n["connections"].end(); ++it) {
                const std::string name = f_.str(it->first, "connection name");
                if (!conns.insert(name).second) f_.fail(it->first, "connection '" + name + "' is declared twice");
                const Protocol p = protocol(it->second);
                conn_protos_[name] = p;
                c.connections.push_back({name, p});
            }
        }
        f_.require_seq(n["steps"], "steps");
        for (const auto& s : n["steps"]) c.steps.push_back(step(s, proto, conns));
        if (c.steps.empty()) f_.fail(n["steps"], "a check needs at least one step");
        // A check that switches to TLS itself begins in plaintext whatever --tls says.
        if (has_starttls(c.steps)) c.plaintext = true;
        return c;
    }

    Fields f_;
    std::map<std::string, Protocol> conn_protos_;
};

}  // namespace

Result<Suite> load_suite_text(const std::string& text, const std::string& name) {
    try {
        const YAML::Node root = YAML::Load(text);
        return Parser(name).parse(root);
    } catch (const scenario::ScenarioError& e) {
        return Error{e.what_, e.where_};
    } catch (const YAML::Exception& e) {
        const std::string where =
            e.mark.is_null() ? name : name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        return Error{"YAML syntax error: " + e.msg, where};
    }
}

Result<Suite> load_suite_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open suite file (a bundled suite is named smtp, pop3 or imap)", path};
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_suite_text(ss.str(), path);
}

std::string default_suite_dir() { return std::string(POSTINO_SOURCE_ROOT) + "/conformance/suites"; }

std::string resolve_suite(const std::string& s) {
    if (s.find('/') != std::string::npos || (s.size() > 5 && s.ends_with(".yaml"))) return s;
    return default_suite_dir() + "/" + s + ".yaml";
}

}  // namespace postino::conformance
