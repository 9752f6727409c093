// sweep_command.cpp — many seeds in worker processes, a progress line,
// failures with their replay command, minimized reproductions, JSON results.
#include "app/sweep_command.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include "scenario/loader.hpp"
#include "scenario/sweep.hpp"

namespace postino::app {
namespace {

using scenario::SeedVerdict;

std::string escape_field(const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

// One line per seed on the worker pipe: fields separated by tabs.
std::string encode(const SeedVerdict& v) {
    std::ostringstream o;
    o << "done\t" << v.seed << '\t' << (v.ok ? 1 : 0) << '\t' << escape_field(v.invariant) << '\t' << v.fingerprint
      << '\t' << v.events << '\t' << v.faults << '\t' << escape_field(v.detail) << '\t' << v.fault_closes << '\t'
      << escape_field(v.fault_close_first) << '\t' << v.dup_lost_250 << '\t' << v.dup_fanout << '\t'
      << escape_field(v.dup_first) << '\n';
    return o.str();
}

bool decode(const std::string& line, SeedVerdict& v) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        const std::size_t tab = line.find('\t', start);
        f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    if (f.size() != 13 || f[0] != "done") return false;
    v.seed = std::stoull(f[1]);
    v.ok = f[2] == "1";
    v.invariant = f[3];
    v.fingerprint = f[4];
    v.events = std::stoull(f[5]);
    v.faults = std::stoull(f[6]);
    v.detail = f[7];
    v.fault_closes = std::stoi(f[8]);
    v.fault_close_first = f[9];
    v.dup_lost_250 = std::stoi(f[10]);
    v.dup_fanout = std::stoi(f[11]);
    v.dup_first = f[12];
    return true;
}

void write_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

YAML::Node fault_node(const scenario::FaultSpec& f) {
    YAML::Node n;
    n["at"] = format_duration(f.at);
    if (f.length != Duration::max()) n["for"] = format_duration(f.length);
    n[f.kind] = f.target;
    if (f.kind == "port-closed") n["port"] = f.port;
    if (f.kind == "link-change") {
        YAML::Node l;
        if (f.link.latency) l["latency"] = format_duration(*f.link.latency);
        if (f.link.jitter) l["jitter"] = format_duration(*f.link.jitter);
        if (f.link.bandwidth_bps) l["bandwidth"] = std::to_string(*f.link.bandwidth_bps) + "bps";
        if (f.link.loss) l["loss"] = *f.link.loss;
        n["link"] = l;
    }
    if (f.kind == "smtp-reply") {
        n["command"] = f.command;
        n["reply"] = std::to_string(f.code) + (f.enhanced.empty() ? "" : " " + f.enhanced) + (f.text.empty() ? "" : " " + f.text);
    }
    if (f.kind == "drop-connection") n["stage"] = "after-data";
    if (f.times > 0) n["times"] = f.times;
    return n;
}

// The original file with `sweep` removed, the seed fixed and the faults of
// the minimized run written out: a plain scenario that replays the failure.
bool write_reproduction(const std::string& original, const scenario::Scenario& plain, std::uint64_t seed,
                        const SeedVerdict& v, const std::string& path) {
    YAML::Node root = YAML::LoadFile(original);
    root.remove("sweep");
    root["seed"] = seed;
    YAML::Node faults(YAML::NodeType::Sequence);
    for (const auto& f : plain.faults) faults.push_back(fault_node(f));
    root["faults"] = faults;
    YAML::Emitter out;
    out << root;
    std::ofstream file(path);
    if (!file) return false;
    file << "# Minimized reproduction of sweep seed " << seed << " of " << original << "\n"
         << "# invariant: " << v.invariant << " — " << v.detail << "\n"
         << out.c_str() << "\n";
    return static_cast<bool>(file);
}

// Creates `dir` and its missing parents (like mkdir -p). Returns "" on
// success, else what went wrong, naming the directory.
std::string make_directory(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return "cannot create the directory " + dir + ": " + ec.message();
    if (!std::filesystem::is_directory(dir, ec)) return dir + " exists and is not a directory";
    return {};
}

nlohmann::json to_json(const SeedVerdict& v) {
    nlohmann::json j = {{"seed", v.seed}, {"ok", v.ok}, {"invariant", v.invariant}, {"detail", v.detail},
                        {"fingerprint", v.fingerprint}, {"events", v.events}, {"faults", v.faults}};
    // Reported, not failures: only when there is something to report.
    if (v.fault_closes > 0) {
        j["fault_closes"] = v.fault_closes;
        j["fault_close_first"] = v.fault_close_first;
    }
    if (v.dup_lost_250 > 0) {
        j["duplicates_lost_250"] = v.dup_lost_250;
        j["duplicate_first"] = v.dup_first;
    }
    if (v.dup_fanout > 0) j["duplicates_fanout"] = v.dup_fanout;
    return j;
}

SeedVerdict from_json(const nlohmann::json& r) {
    SeedVerdict v;
    v.seed = r.value("seed", 0ULL);
    v.ok = r.value("ok", false);
    v.invariant = r.value("invariant", "");
    v.detail = r.value("detail", "");
    v.fingerprint = r.value("fingerprint", "");
    v.events = r.value("events", 0ULL);
    v.faults = r.value("faults", 0ULL);
    v.fault_closes = r.value("fault_closes", 0);
    v.fault_close_first = r.value("fault_close_first", "");
    v.dup_lost_250 = r.value("duplicates_lost_250", 0);
    v.dup_fanout = r.value("duplicates_fanout", 0);
    v.dup_first = r.value("duplicate_first", "");
    return v;
}

void print_summary(const std::vector<SeedVerdict>& results, double seconds) {
    std::map<std::string, int> by_kind;
    int failed = 0;
    for (const auto& v : results) {
        if (!v.ok) {
            ++failed;
            ++by_kind[v.invariant];
        }
    }
    std::printf("%zu seeds in %.1f s (%.1f seeds/s): %zu passed, %d failed", results.size(), seconds,
                seconds > 0 ? static_cast<double>(results.size()) / seconds : 0.0, results.size() - static_cast<std::size_t>(failed), failed);
    if (!by_kind.empty()) {
        std::printf(" (");
        bool first = true;
        for (const auto& [k, n] : by_kind) {
            std::printf("%s%s: %d", first ? "" : ", ", k.c_str(), n);
            first = false;
        }
        std::printf(")");
    }
    std::printf("\n");
    // What the sweep saw and did not count, stated so it is not hidden.
    std::size_t close_seeds = 0, lost_seeds = 0, fanout_seeds = 0;
    long closes = 0, lost = 0, fanout = 0;
    const SeedVerdict* first_close = nullptr;
    const SeedVerdict* first_lost = nullptr;
    for (const auto& v : results) {
        if (v.fault_closes > 0) {
            ++close_seeds;
            closes += v.fault_closes;
            if (!first_close) first_close = &v;
        }
        if (v.dup_lost_250 > 0) {
            ++lost_seeds;
            lost += v.dup_lost_250;
            if (!first_lost) first_lost = &v;
        }
        if (v.dup_fanout > 0) {
            ++fanout_seeds;
            fanout += v.dup_fanout;
        }
    }
    if (close_seeds > 0) {
        std::printf("not failures: %ld abrupt close(s) in %zu seed(s) explained by an injected fault (the TCP connection "
                    "timed out or was reset, or the client gave up on lost replies, while a fault hit one of its hosts); first: seed %llu: %s\n",
                    closes, close_seeds, static_cast<unsigned long long>(first_close->seed),
                    first_close->fault_close_first.c_str());
    }
    if (lost_seeds > 0) {
        std::printf("duplicates, not failures: %ld extra copy(ies) in %zu seed(s) after a lost 250: the client sent "
                    "again what the server had accepted (RFC 1047); first: seed %llu: %s\n",
                    lost, lost_seeds, static_cast<unsigned long long>(first_lost->seed), first_lost->dup_first.c_str());
    }
    if (fanout_seeds > 0) {
        std::printf("duplicates, not failures: %ld extra copy(ies) in %zu seed(s) to an address reached through two "
                    "envelope recipients (directly and by alias or list expansion, RFC 5321 §3.9)\n",
                    fanout, fanout_seeds);
    }
}

}  // namespace

int cmd_sweep(const SweepArgs& a) {
    auto s = scenario::load_scenario_file(a.file);
    if (!s) {
        std::cerr << "postino: " << s.error().message() << "\n";
        return 2;
    }
    if (!s->sweep) {
        std::cerr << "postino: " << a.file << " has no 'sweep' section: nothing to vary (see docs/sweep.md)\n";
        return 2;
    }
    std::uint64_t shard_i = 0, shard_n = 1;
    if (!a.shard.empty()) {
        const auto slash = a.shard.find('/');
        try {
            shard_i = std::stoull(a.shard.substr(0, slash));
            shard_n = std::stoull(a.shard.substr(slash + 1));
        } catch (const std::exception&) {
            shard_n = 0;
        }
        if (slash == std::string::npos || shard_n == 0 || shard_i >= shard_n) {
            std::cerr << "postino: --shard must be I/N with 0 <= I < N, got '" << a.shard << "'\n";
            return 2;
        }
    }
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t k = 0; k < a.seeds; ++k) {
        if (k % shard_n == shard_i) seeds.push_back(a.from + k);
    }
    const unsigned jobs = std::max(1U, std::min<unsigned>(a.jobs, static_cast<unsigned>(std::max<std::size_t>(1, seeds.size()))));
    const auto t0 = std::chrono::steady_clock::now();

    // Workers: worker j runs seeds[j], seeds[j+jobs], … and reports each on its pipe.
    struct Worker {
        pid_t pid = -1;
        int fd = -1;
        std::string buf;
        std::uint64_t running = 0;
        bool has_running = false;
        bool open = true;
    };
    std::vector<Worker> workers(jobs);
    for (unsigned j = 0; j < jobs; ++j) {
        int p[2];
        if (::pipe(p) != 0) {
            std::cerr << "postino: cannot create a pipe for worker " << j << "\n";
            return 2;
        }
        std::cout.flush();
        const pid_t pid = ::fork();
        if (pid < 0) {
            std::cerr << "postino: cannot start worker " << j << "\n";
            return 2;
        }
        if (pid == 0) {
            ::close(p[0]);
            for (std::size_t k = j; k < seeds.size(); k += jobs) {
                write_all(p[1], "start\t" + std::to_string(seeds[k]) + "\n");
                ::alarm(a.wall_limit_s);  // wall-time watchdog: SIGALRM ends this worker
                const SeedVerdict v = scenario::check_seed(*s, seeds[k], a.max_events);
                ::alarm(0);
                write_all(p[1], encode(v));
            }
            ::close(p[1]);
            ::_exit(0);
        }
        ::close(p[1]);
        workers[j].pid = pid;
        workers[j].fd = p[0];
    }

    std::map<std::uint64_t, SeedVerdict> results;
    const bool tty = ::isatty(2) != 0 && !a.quiet;
    std::size_t failures = 0;
    auto progress = [&] {
        if (!tty) return;
        const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double rate = el > 0 ? static_cast<double>(results.size()) / el : 0;
        const double eta = rate > 0 ? static_cast<double>(seeds.size() - results.size()) / rate : 0;
        const int width = 30;
        const int filled = seeds.empty() ? width : static_cast<int>(width * results.size() / seeds.size());
        std::fprintf(stderr, "\r[%s%s] %zu/%zu seeds, %zu failed, %.1f seeds/s, ETA %.0f s   ",
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), results.size(), seeds.size(),
                     failures, rate, eta);
    };
    std::size_t open = workers.size();
    while (open > 0) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> idx;
        for (std::size_t j = 0; j < workers.size(); ++j) {
            if (workers[j].open) {
                fds.push_back(pollfd{workers[j].fd, POLLIN, 0});
                idx.push_back(j);
            }
        }
        if (::poll(fds.data(), fds.size(), 500) < 0) continue;
        for (std::size_t f = 0; f < fds.size(); ++f) {
            if ((fds[f].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            Worker& w = workers[idx[f]];
            char chunk[4096];
            const ssize_t n = ::read(w.fd, chunk, sizeof chunk);
            if (n <= 0) {
                w.open = false;
                --open;
                ::close(w.fd);
                int status = 0;
                ::waitpid(w.pid, &status, 0);
                if (w.has_running) {  // the worker died inside a seed: the watchdog (or a crash)
                    SeedVerdict v;
                    v.seed = w.running;
                    v.ok = false;
                    const bool alarm = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
                    v.invariant = alarm ? "hang" : "crash";
                    v.detail = alarm ? "seed ran longer than " + std::to_string(a.wall_limit_s) + " s of wall time"
                                     : "the worker process died (status " + std::to_string(status) + ")";
                    results[v.seed] = v;
                    ++failures;
                }
                continue;
            }
            w.buf.append(chunk, static_cast<std::size_t>(n));
            std::size_t nl;
            while ((nl = w.buf.find('\n')) != std::string::npos) {
                const std::string line = w.buf.substr(0, nl);
                w.buf.erase(0, nl + 1);
                if (line.rfind("start\t", 0) == 0) {
                    w.running = std::stoull(line.substr(6));
                    w.has_running = true;
                    continue;
                }
                SeedVerdict v;
                if (decode(line, v)) {
                    w.has_running = false;
                    if (!v.ok) ++failures;
                    results[v.seed] = v;
                    progress();
                }
            }
        }
    }
    if (tty) std::fprintf(stderr, "\n");
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::vector<SeedVerdict> ordered;
    ordered.reserve(results.size());
    for (const auto& [seed, v] : results) ordered.push_back(v);
    std::string minimize_error;  // why DIR cannot hold the reproductions ("" when it can)
    const bool any_failed = std::any_of(ordered.begin(), ordered.end(), [](const auto& v) { return !v.ok; });
    if (!a.minimize_dir.empty() && any_failed) minimize_error = make_directory(a.minimize_dir);
    if (!minimize_error.empty()) std::cerr << "postino: --minimize: " << minimize_error << "\n";
    for (const auto& v : ordered) {
        if (v.ok) continue;
        std::cout << "FAIL seed " << v.seed << ": " << v.invariant << " — " << v.detail << "\n"
                  << "  replay: postino run " << a.file << " --seed " << v.seed << " --trace seed-" << v.seed << ".jsonl\n";
        if (!a.minimize_dir.empty() && minimize_error.empty() && v.invariant != "hang" && v.invariant != "crash") {
            const scenario::Scenario small = scenario::minimize(*s, v.seed, v);
            const std::string path = a.minimize_dir + "/" + s->name + "-seed-" + std::to_string(v.seed) + ".yaml";
            if (write_reproduction(a.file, small, v.seed, v, path)) {
                std::cout << "  minimized: " << path << " (" << small.faults.size() << " fault(s) kept of " << v.faults << ")\n";
            } else {
                std::cout << "  minimized: cannot write " << path << ": " << std::strerror(errno) << "\n";
            }
        }
    }
    print_summary(ordered, elapsed);
    if (!a.json.empty()) {
        nlohmann::json j;
        j["scenario"] = s->name;
        j["file"] = a.file;
        j["shard"] = a.shard.empty() ? "0/1" : a.shard;
        j["results"] = nlohmann::json::array();
        for (const auto& v : ordered) j["results"].push_back(to_json(v));
        std::ofstream out(a.json);
        out << j.dump(2) << "\n";
        if (!out) {
            std::cerr << "postino: cannot write " << a.json << "\n";
            return 2;
        }
    }
    const bool all_ran = ordered.size() == seeds.size();
    if (!all_ran) std::cout << (seeds.size() - ordered.size()) << " seed(s) did not run (a worker stopped early)\n";
    return failures == 0 && all_ran ? 0 : 1;
}

int cmd_sweep_merge(const std::vector<std::string>& files, const std::string& json_out) {
    std::map<std::uint64_t, SeedVerdict> all;
    std::string scenario_name;
    for (const auto& f : files) {
        std::ifstream in(f);
        nlohmann::json j;
        try {
            in >> j;
        } catch (const std::exception& e) {
            std::cerr << "postino: " << f << ": not a sweep result (" << e.what() << ")\n";
            return 2;
        }
        if (!j.contains("results") || !j["results"].is_array()) {
            std::cerr << "postino: " << f << ": not a sweep result (no \"results\" list)\n";
            return 2;
        }
        if (scenario_name.empty()) scenario_name = j.value("scenario", "");
        for (const auto& r : j["results"]) {
            const SeedVerdict v = from_json(r);
            all[v.seed] = v;
        }
    }
    std::vector<SeedVerdict> ordered;
    ordered.reserve(all.size());
    for (const auto& [seed, v] : all) ordered.push_back(v);
    for (const auto& v : ordered) {
        if (!v.ok) std::cout << "FAIL seed " << v.seed << ": " << v.invariant << " — " << v.detail << "\n";
    }
    print_summary(ordered, 0);
    if (!json_out.empty()) {
        nlohmann::json j;
        j["scenario"] = scenario_name;
        j["results"] = nlohmann::json::array();
        for (const auto& v : ordered) j["results"].push_back(to_json(v));
        std::ofstream(json_out) << j.dump(2) << "\n";
    }
    return std::all_of(ordered.begin(), ordered.end(), [](const auto& v) { return v.ok; }) ? 0 : 1;
}

}  // namespace postino::app
