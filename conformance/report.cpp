// report.cpp — table, JSON, JUnit XML and Markdown writers for check results.
#include "conformance/report.hpp"

#include <cstdio>
#include <iomanip>

#include <nlohmann/json.hpp>

namespace postino::conformance {
namespace {

std::string secs(Duration d) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", d.seconds());
    return b;
}

std::string xml(std::string_view s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '&': o += "&amp;"; break;
            case '"': o += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') o += '?';
                else o += c;
        }
    }
    return o;
}

std::string md(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|') o += "\\|";
        else if (c == '\n') o += ' ';
        else o += c;
    }
    return o;
}

std::string wall_secs(const SuiteResult& r) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", r.wall_seconds);
    return b;
}

}  // namespace

std::string summary_line(const SuiteResult& r) {
    std::string s = r.suite + " against " + r.target + ": " + std::to_string(r.results.size()) + " checks";
    for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Warn, Verdict::Policy, Verdict::Skip, Verdict::Error}) {
        s += ", " + std::to_string(r.count(v)) + " " + to_string(v);
    }
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.2f", r.wall_seconds);
    s += std::string(" in ") + wall + " s";
    if (r.virtual_time) s += " (" + format_duration(r.elapsed) + " of virtual time)";
    return s;
}

void print_table(std::ostream& out, const SuiteResult& r) {
    std::size_t w = 5;
    for (const auto& x : r.results) w = std::max(w, x.check->id.size());
    for (const auto& x : r.results) {
        out << std::left << std::setw(7) << to_string(x.verdict) << ' ' << std::setw(static_cast<int>(w)) << x.check->id
            << "  " << std::setw(6) << to_string(x.check->level) << ' ' << x.check->title << " [" << x.check->ref << "]\n";
        if (!x.reason.empty() && x.verdict != Verdict::Pass) out << "        " << std::string(w, ' ') << "  -> " << x.reason << "\n";
    }
    out << summary_line(r) << "\n";
}

void write_json(std::ostream& out, const std::vector<SuiteResult>& runs) {
    nlohmann::ordered_json j;
    j["format"] = "postino-check-1";
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& r : runs) {
        nlohmann::ordered_json s;
        s["suite"] = r.suite;
        s["target"] = r.target;
        s["seconds"] = r.wall_seconds;
        if (r.virtual_time) s["virtual_seconds"] = r.elapsed.seconds();
        nlohmann::ordered_json counts;
        for (Verdict v : {Verdict::Pass, Verdict::Fail, Verdict::Warn, Verdict::Policy, Verdict::Skip, Verdict::Error}) {
            counts[to_string(v)] = r.count(v);
        }
        s["counts"] = counts;
        nlohmann::ordered_json checks = nlohmann::ordered_json::array();
        for (const auto& x : r.results) {
            nlohmann::ordered_json c;
            c["id"] = x.check->id;
            c["item"] = x.check->item;
            c["title"] = x.check->title;
            c["ref"] = x.check->ref;
            c["level"] = to_string(x.check->level);
            c["verdict"] = to_string(x.verdict);
            c["reason"] = x.reason;
            c["where"] = x.where;
            c["seconds"] = x.elapsed.seconds();
            checks.push_back(c);
        }
        s["checks"] = checks;
        arr.push_back(s);
    }
    j["runs"] = arr;
    out << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

void write_junit(std::ostream& out, const std::vector<SuiteResult>& runs) {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    for (const auto& r : runs) {
        tests += r.results.size();
        failures += r.count(Verdict::Fail);
        errors += r.count(Verdict::Error);
        skipped += r.count(Verdict::Skip);
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"postino check\" tests=\"" << tests
        << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\">\n";
    for (const auto& r : runs) {
        out << "  <testsuite name=\"" << xml(r.suite) << "\" hostname=\"" << xml(r.target) << "\" tests=\""
            << r.results.size() << "\" failures=\"" << r.count(Verdict::Fail) << "\" errors=\"" << r.count(Verdict::Error)
            << "\" skipped=\"" << r.count(Verdict::Skip) << "\" time=\"" << wall_secs(r) << "\">\n";
        for (const auto& x : r.results) {
            out << "    <testcase classname=\"" << xml(r.suite) << "\" name=\"" << xml(x.check->id + " " + x.check->title)
                << "\" time=\"" << secs(x.elapsed) << "\">";
            const std::string msg = xml(x.reason + " [" + x.check->ref + "] " + x.where);
            switch (x.verdict) {
                case Verdict::Fail: out << "<failure type=\"FAIL\" message=\"" << msg << "\"/>"; break;
                case Verdict::Error: out << "<error type=\"ERROR\" message=\"" << msg << "\"/>"; break;
                case Verdict::Skip: out << "<skipped message=\"" << msg << "\"/>"; break;
                case Verdict::Warn:
                case Verdict::Policy:
                    out << "<system-out>" << to_string(x.verdict) << ": " << msg << "</system-out>";
                    break;
                case Verdict::Pass: break;
            }
            out << "</testcase>\n";
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
}

void write_markdown(std::ostream& out, const std::vector<SuiteResult>& runs) {
    for (const auto& r : runs) {
        out << "### " << md(r.suite) << " against " << md(r.target) << "\n\n";
        out << "| verdict | check | level | title | reference | note |\n|---|---|---|---|---|---|\n";
        for (const auto& x : r.results) {
            out << "| " << to_string(x.verdict) << " | " << md(x.check->id) << " | " << to_string(x.check->level) << " | "
                << md(x.check->title) << " | " << md(x.check->ref) << " | "
                << (x.verdict == Verdict::Pass ? "" : md(x.reason)) << " |\n";
        }
        out << "\n" << md(summary_line(r)) << "\n\n";
    }
}

}  // namespace postino::conformance
