// main.cpp — the `postino` command line (CLI11 lives in this file only:
// it is the most expensive header of the build).
//
//   postino demo  [--seed N] [--trace FILE] [--quiet]   built-in network demo
//   postino trace FILE [--quiet]                          check and print a trace
//   postino run FILE [--seed N] [--until T] [--trace F] [--quiet] [--lang it]
//                    [--pcap F] [--mermaid F] [--mermaid-segments]
//   postino replay TRACE [--scenario F] [--quiet|--verbose] [--pcap F] [--mermaid F]   narrated timeline of a trace
//   postino export TRACE [--pcap F] [--mermaid F] [--mermaid-segments]  exporters only
//   postino sweep FILE --seeds N [--jobs J] ...           randomized fault sweeps
//   postino lint FILE...                                  validate scenarios
//   postino list                                          the scenario library
//   postino serve [--smtp P] [--submission P] [--pop3 P] [--imap P] [--http P] --data DIR [--config F] [--trace F] [--listen A]   real sockets
//   postino check URL | --builtin smtp|pop3|imap [--suite S] [--only ID...] [--junit F] [--json F] ...
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/check_command.hpp"
#include "app/demo.hpp"
#include "app/scenario_commands.hpp"
#include "app/serve_command.hpp"
#include "app/sweep_command.hpp"
#include "app/timeline_sink.hpp"
#include "core/trace_json.hpp"
#include "core/trace_reader.hpp"

using namespace postino;

namespace {

// --pcap, --mermaid, --mermaid-segments: the same on run, replay and export.
void add_export_options(CLI::App* cmd, app::ExportArgs& x) {
    cmd->add_option("--pcap", x.pcap, "Write the run as a packet capture (open it in Wireshark; docs/exporters.md)");
    cmd->add_option("--mermaid", x.mermaid,
                    "Write a Mermaid sequence diagram (.md: in a ```mermaid fence; .mmd: the bare diagram)");
    cmd->add_flag("--mermaid-segments", x.mermaid_segments,
                  "In the diagram, one arrow per TCP segment (default: one per connection)");
}

int cmd_demo(std::uint64_t seed, const std::string& trace_path, bool quiet) {
    std::vector<trace::Sink*> sinks;
    app::TimelineSink timeline(std::cout);
    if (!quiet) sinks.push_back(&timeline);
    std::ofstream file;
    std::unique_ptr<trace::JsonlWriter> writer;
    if (!trace_path.empty()) {
        file.open(trace_path, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "postino: cannot write trace file " << trace_path << " (check the directory exists and is writable)\n";
            return 2;
        }
        writer = std::make_unique<trace::JsonlWriter>(
            file, trace::Header{trace::kFormatVersion, seed, "demo", std::string("postino ") + POSTINO_VERSION});
        sinks.push_back(writer.get());
    }
    const app::RunSummary s = app::run_demo(seed, sinks);
    file.close();
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f s", s.end.seconds());
    std::cout << "\nseed " << s.seed << " | " << s.events << " events | simulated time " << secs
              << " | fingerprint " << s.fingerprint << "\n";
    if (!trace_path.empty()) std::cout << "trace written to " << trace_path << "\n";
    return 0;
}

int cmd_trace(const std::string& path, bool quiet) {
    auto file = trace::read_trace_file(path);
    if (!file) {
        std::cerr << "postino: " << file.error().message() << "\n";
        return 1;
    }
    if (!quiet) {
        for (const auto& e : file->events) std::cout << trace::timeline_line(e) << '\n';
    }
    std::cout << path << ": valid trace, format " << file->header.version << ", scenario \"" << file->header.scenario
              << "\", seed " << file->header.seed << ", " << file->events.size() << " events, fingerprint "
              << trace::hex64(trace::fingerprint_of(file->events)) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Postino: a deterministic mail-protocol laboratory"};
    cli.set_version_flag("--version", std::string("postino ") + POSTINO_VERSION);
    cli.require_subcommand(0, 1);
    cli.footer("With no command, runs the classic story: postino run <scenarios>/classic.yaml");

    auto* demo = cli.add_subcommand("demo", "Run the built-in network demo: DNS, TCP, a lost segment, a refused connection");
    std::uint64_t seed = 1;
    std::string trace_path = "postino-demo.jsonl";
    bool quiet = false;
    demo->add_option("--seed", seed, "Seed of the run (same seed, same trace)");
    demo->add_option("--trace", trace_path, "Write the JSON Lines trace here (empty: do not write)");
    demo->add_flag("-q,--quiet", quiet, "Print only the summary, not the timeline");

    auto* tr = cli.add_subcommand("trace", "Check a trace file and print its timeline and fingerprint");
    std::string trace_in;
    bool trace_quiet = false;
    tr->add_option("file", trace_in, "Trace file (JSON Lines)")->required();
    tr->add_flag("-q,--quiet", trace_quiet, "Print only the verdict line");

    auto* run = cli.add_subcommand("run", "Run a scenario: narrated timeline, expectations, conservation check");
    app::RunArgs run_args;
    run->add_option("file", run_args.file, "Scenario file (YAML)")->required();
    run->add_option("--seed", run_args.seed, "Override the scenario's seed");
    run->add_option("--until", run_args.until, "Stop at this simulated time (e.g. 2h, 5d)");
    run->add_option("--trace", run_args.trace, "Write the JSON Lines trace here");
    run->add_flag("-q,--quiet", run_args.quiet, "Print only notes, mail events and the verdict");
    run->add_flag("-v,--verbose", run_args.verbose, "Print every event, TCP segments included");
    run->add_option("--lang", run_args.lang, "Language of the narration: en or it")->check(CLI::IsMember({"en", "it"}));
    run->add_flag("--no-color", run_args.no_color, "No ANSI colors (also: NO_COLOR=1; colors only on a terminal)");
    add_export_options(run, run_args.exports);
    run->footer("Examples: postino run scenarios/classic.yaml --trace classic.jsonl\n"
                "          postino run scenarios/classic.yaml --pcap classic.pcap --mermaid classic.md");

    auto* replay = cli.add_subcommand("replay", "The narrated timeline of a recorded trace, with the invariant checks (and a scenario's expectations)");
    app::ReplayArgs replay_args;
    std::string replay_lang = "en";
    replay->add_option("file", replay_args.file, "Trace file (JSON Lines)")->required();
    replay->add_option("--scenario", replay_args.scenario,
                       "Also check this scenario's expectations (and the invariants it breaks on purpose) against the trace")
        ->check(CLI::ExistingFile);
    replay->add_flag("-q,--quiet", replay_args.quiet, "Notes, spool, mailbox and user-agent events only");
    replay->add_flag("-v,--verbose", replay_args.verbose, "Every event, TCP segments included");
    replay->add_flag("--no-color", replay_args.no_color, "No ANSI colors");
    add_export_options(replay, replay_args.exports);
    replay->add_option("--lang", replay_lang, "Language of the narration and of the diagram's notes: en or it")
        ->check(CLI::IsMember({"en", "it"}));
    replay->footer("Example: postino run scenarios/classic.yaml --trace c.jsonl && postino replay c.jsonl --pcap c.pcap");

    auto* exp = cli.add_subcommand("export", "Write a recorded trace as a packet capture and/or a Mermaid diagram");
    std::string export_file;
    app::ExportArgs export_args;
    std::string export_lang = "en";
    exp->add_option("file", export_file, "Trace file (JSON Lines)")->required();
    add_export_options(exp, export_args);
    exp->add_option("--lang", export_lang, "Language of the diagram's notes: en or it")->check(CLI::IsMember({"en", "it"}));
    exp->footer("Examples: postino export classic.jsonl --pcap classic.pcap && wireshark classic.pcap\n"
                "          postino export classic.jsonl --mermaid classic.md --mermaid-segments");

    auto* lint = cli.add_subcommand("lint", "Validate scenario files without running them");
    std::vector<std::string> lint_files;
    lint->add_option("files", lint_files, "Scenario files")->required();

    auto* list = cli.add_subcommand("list", "List the scenario library with titles");
    std::string list_dir = app::default_scenario_dir();
    list->add_option("--dir", list_dir, "Scenario directory");

    auto* sweep = cli.add_subcommand("sweep", "Run a scenario's fault space under many seeds and check the invariants");
    app::SweepArgs sweep_args;
    sweep->add_option("file", sweep_args.file, "Scenario file with a 'sweep' section");
    sweep->add_option("--seeds", sweep_args.seeds, "How many seeds");
    sweep->add_option("--from", sweep_args.from, "First seed");
    sweep->add_option("-j,--jobs", sweep_args.jobs, "Worker processes");
    sweep->add_option("--shard", sweep_args.shard, "Run only slice I of N of the seeds (I/N)");
    sweep->add_option("--json", sweep_args.json, "Write the per-seed results as JSON");
    sweep->add_option("--minimize", sweep_args.minimize_dir, "Write a minimized scenario for each failing seed into this directory");
    sweep->add_option("--max-events", sweep_args.max_events, "Simulated-time watchdog: events per seed");
    sweep->add_option("--wall-limit", sweep_args.wall_limit_s, "Wall-time watchdog: seconds per seed");
    sweep->add_flag("-q,--quiet", sweep_args.quiet, "No progress line");
    sweep->footer("Example: postino sweep scenarios/sweep-relay.yaml --seeds 1000 --jobs 2 --json sweep.json");
    auto* merge = sweep->add_subcommand("merge", "Join the JSON results of several shards into one summary");
    std::vector<std::string> merge_files;
    std::string merge_json;
    merge->add_option("results", merge_files, "JSON result files")->required();
    merge->add_option("--json", merge_json, "Write the merged results here");

    auto* serve = cli.add_subcommand("serve", "Serve SMTP, POP3, IMAP and webmail (HTTP) on real sockets, mail in Maildirs (docs/serve.md)");
    app::ServeArgs serve_args;
    serve->add_option("--smtp", serve_args.smtp_port, "SMTP port (0: any free port, printed at start)");
    serve->add_option("--pop3", serve_args.pop3_port, "POP3 port (0: any free port, printed at start)");
    serve->add_option("--imap", serve_args.imap_port, "IMAP port (0: any free port, printed at start)");
    serve->add_option("--http", serve_args.http_port, "Webmail HTTP port (0: any free port, printed at start; docs/webmail.md)");
    serve->add_option("--submission", serve_args.submission_port,
                      "Message submission port, AUTH PLAIN required (RFC 6409; 0: any free port)");
    serve->add_option("--data", serve_args.data_dir, "Data directory: Maildirs and the spool")->required();
    serve->add_option("--config", serve_args.config, "YAML config: the keys of a scenario's mta host");
    serve->add_option("--trace", serve_args.trace, "Write a live JSON Lines trace (postino-viz --follow FILE)");
    serve->add_option("--listen", serve_args.listen, "Address to listen on (default 127.0.0.1, loopback only)");
    serve->add_flag("--allow-plaintext-auth", serve_args.allow_plaintext_auth,
                    "Allow POP3 USER/PASS, IMAP LOGIN and SMTP AUTH PLAIN from non-loopback clients");
    serve->footer("Example: postino serve --smtp 2525 --pop3 1110 --data /tmp/postino --config serve.yaml");

    auto* check = cli.add_subcommand("check", "Run conformance suites against a mail server (docs/conformance-format.md)");
    app::CheckArgs check_args;
    check->add_option("url", check_args.url, "smtp://HOST:PORT, pop3://USER:PASS@HOST:PORT or imap://USER:PASS@HOST:PORT");
    check->add_option("--builtin", check_args.builtin, "Check Postino's own engines in process, no sockets")
        ->check(CLI::IsMember({"smtp", "pop3", "imap"}));
    check->add_option("--suite", check_args.suites, "Suite name (smtp, pop3, imap) or YAML file; default: the target's protocol");
    check->add_option("--only", check_args.only, "Run only these checks (ids, items like S2, or id prefixes)");
    check->add_option("--smtp", check_args.smtp_url, "SMTP endpoint for setup steps (smtp://HOST:PORT)");
    check->add_option("--pop3", check_args.pop3_url, "POP3 endpoint for end-to-end steps (pop3://USER:PASS@HOST:PORT)");
    check->add_option("--imap", check_args.imap_url, "IMAP endpoint for end-to-end steps (imap://USER:PASS@HOST:PORT)");
    check->add_option("--junit", check_args.junit, "Write a JUnit XML report");
    check->add_option("--json", check_args.json, "Write a JSON report");
    check->add_option("--markdown", check_args.markdown, "Write a Markdown report");
    check->add_option("--trace", check_args.trace, "Write every session as a JSON Lines trace (postino-viz opens it)");
    check->add_option("--timeout", check_args.timeout, "Wait at most this long for each reply (default 10s)");
    check->add_option("--delivery-wait", check_args.delivery_wait,
                      "How long mail takes to reach the mailbox after its 250 (default 500ms; 'wait: delivery' steps)");
    check->add_flag("--allow-writes", check_args.allow_writes, "Also run checks that send mail or change mailboxes");
    check->add_flag("--slow", check_args.slow, "Also run checks that wait minutes (server timeouts)");
    check->add_option("--domain", check_args.domain, "Mail domain of the server (default example.test)");
    check->add_option("--rcpt", check_args.rcpt, "A deliverable recipient (default USER@DOMAIN)");
    check->add_flag("-q,--quiet", check_args.quiet, "Print only the summary lines");
    check->add_option("--fault", check_args.faults,
                      "With --builtin: switch on a named defect of the engines, to see checks fail (docs/conformance-format.md)");
    check->add_option("--tls", check_args.tls,
                      "Switch every session to TLS after the greeting (STARTTLS/STLS): never (default), if-offered, "
                      "required (a server without it is an ERROR)")
        ->check(CLI::IsMember({"never", "if-offered", "required"}));
    check->add_flag("--insecure", check_args.insecure,
                    "Accept the server's TLS certificate unverified (self-signed, untrusted, another name)");
    check->add_option("--cafile", check_args.cafile, "Trust the CA certificates of this PEM file instead of the system store");
    check->footer("Examples: postino check --builtin smtp\n"
                  "          postino check smtp://127.0.0.1:2525 --pop3 pop3://alice:secret@127.0.0.1:1110 --allow-writes\n"
                  "          postino check imap://alice:secret@mail.example.org --tls required\n"
                  "Exit code: 0 no FAIL or ERROR, 1 some FAIL or ERROR, 2 bad usage.");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    try {
        if (*demo) return cmd_demo(seed, trace_path, quiet);
        if (*tr) return cmd_trace(trace_in, trace_quiet);
        if (*run) return app::cmd_run(run_args);
        if (*lint) return app::cmd_lint(lint_files);
        if (*replay) {
            replay_args.exports.italian = replay_lang == "it";
            return app::cmd_replay(replay_args);
        }
        if (*exp) {
            export_args.italian = export_lang == "it";
            return app::cmd_export(export_file, export_args);
        }
        if (*list) return app::cmd_list(list_dir);
        if (*serve) return app::cmd_serve(serve_args);
        if (*check) return app::cmd_check(check_args);
        if (*merge) return app::cmd_sweep_merge(merge_files, merge_json);
        if (*sweep) {
            if (sweep_args.file.empty()) {
                std::cerr << "postino: sweep needs a scenario file (or: postino sweep merge RESULTS...)\n";
                return 2;
            }
            return app::cmd_sweep(sweep_args);
        }
        app::RunArgs classic;
        classic.file = app::default_scenario_dir() + "/classic.yaml";
        return app::cmd_run(classic);
    } catch (const std::exception& e) {
        std::cerr << "postino: internal error: " << e.what() << "\n";
        return 70;
    }
    return 0;
}
