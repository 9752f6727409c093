#!/usr/bin/env python3
"""lectures.py — keeps the lectures (lectures/en, lectures/it) honest.

Every shell block of every lecture is run and its output compared with what
the lecture shows; every figure is regenerated from the scenario it comes
from. scripts/lectures.sh is the documented entry point; the conventions
(console blocks, the `no-run` marker, figure markers) are in lectures/README.md
("For authors").

  lectures.py update  [--build DIR] [--only GLOB]   rewrite shown outputs and figures
  lectures.py check   [--build DIR] [--only GLOB]   run every block, compare (CTest)
  lectures.py figures [--build DIR] [--only GLOB] --check
                                                    regenerate figures into a temp
                                                    dir and compare (CTest)
Exit status: 0 fine, 1 a mismatch (each printed as file:line: what), 2 usage,
77 (CTest's skip) when a check needs a tool that is missing (xvfb-run).
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LECTURES = os.path.join(ROOT, "lectures")
LANGS = ("en", "it")
SHELL_INFOS = ("console", "sh", "bash", "shell")
NO_RUN = "no-run"            # the display-only marker: ```console no-run
SHOT_SIZE = "1280x720"       # every lecture screenshot
LOCK = os.path.join(LECTURES, "figures.lock.json")  # the source moment of each screenshot
SKIP = 77

FENCE = re.compile(r"^( *)(```+)\s*(.*)$")
FIG_MERMAID = re.compile(r"^<!-- figure mermaid: (\S+)(.*?) -->$")
FIG_SHOT = re.compile(r"^<!-- figure shot: (\S+) (\S+)(.*?) -->$")
FIG_END = "<!-- end figure -->"


def lecture_files(only):
    out = []
    for lang in LANGS:
        d = os.path.join(LECTURES, lang)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not re.match(r"^\d\d-.*\.md$", name):
                continue
            path = os.path.join(d, name)
            rel = os.path.relpath(path, ROOT)
            if only and not fnmatch.fnmatch(rel, only):
                continue
            out.append(path)
    return out


def lang_of(path):
    return os.path.basename(os.path.dirname(path))


class Block:
    """A shell code block: its commands and the output shown under each."""

    def __init__(self, path, start, info, lines, indent=""):
        self.path, self.start, self.info, self.lines, self.indent = path, start, info, lines, indent
        # A block inside a list item is indented: its lines carry the indent too.
        lines = [t[len(indent):] if t.startswith(indent) else t.lstrip(" ") for t in lines]
        self.runnable = NO_RUN not in info.split()[1:]
        self.steps = []  # (line number of the command, command, shown output lines)
        self.problem = None
        if not self.runnable:
            return
        cur = None
        for i, text in enumerate(lines):
            if text.startswith("$ "):
                cur = [start + 1 + i, text[2:], []]
                self.steps.append(cur)
            elif cur is None:
                self.problem = (f"{path}:{start + 1 + i}: a shell block must start with a `$ ` command line "
                                f"(or be marked display-only: ```{info.split()[0]} {NO_RUN})")
                return
            else:
                cur[2].append(text)
        if not self.steps:
            self.problem = f"{path}:{start}: a shell block without `$ ` commands (mark it ```{info} {NO_RUN})"


def parse_blocks(path):
    """Returns (all lines, [Block]) for the shell blocks of one Markdown file."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).strip()
        j = i + 1
        while j < len(lines) and not lines[j].lstrip(" ").startswith(fence):
            j += 1
        if j >= len(lines):
            raise SystemExit(f"{path}:{i + 1}: a code block that is never closed")
        first = info.split()[0] if info else ""
        if first in SHELL_INFOS:
            blocks.append(Block(path, i + 1, info, lines[i + 1:j], indent))
        i = j + 1
    return lines, blocks


def workdir(base, path):
    """A scratch directory for one lecture: scenarios/ and lectures/ linked in,
    so commands read the library and write their files (traces, diagrams) there."""
    d = os.path.join(base, os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)[:-3])
    os.makedirs(d, exist_ok=True)
    for name in ("scenarios", "lectures"):
        link = os.path.join(d, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(ROOT, name), link)
    return d


def shell_env(build, home):
    env = dict(os.environ)
    env["PATH"] = os.path.abspath(build) + os.pathsep + env.get("PATH", "")
    env["LC_ALL"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    env["HOME"] = home
    env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    env.pop("POSTINO_UPDATE_GOLDEN", None)
    return env


def run_command(cmd, cwd, env):
    p = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    out = p.stdout.decode("utf-8", "replace").rstrip("\n")
    return p.returncode, out.split("\n") if out else []


def run_lecture(path, build, base):
    """Runs every block of one lecture, in order, in its own scratch directory.
    Returns (lines, [(block, [(lineno, cmd, shown, got, status)])], problems)."""
    lines, blocks = parse_blocks(path)
    cwd = workdir(base, path)
    env = shell_env(build, os.path.join(cwd, ".home"))
    os.makedirs(env["HOME"], exist_ok=True)
    results, problems = [], []
    for b in blocks:
        if b.problem:
            problems.append(b.problem)
            continue
        if not b.runnable:
            continue
        rs = []
        for lineno, cmd, shown in b.steps:
            status, got = run_command(cmd, cwd, env)
            rs.append((lineno, cmd, shown, got, status))
        results.append((b, rs))
    return lines, results, problems


def first_difference(shown, got):
    for k in range(max(len(shown), len(got))):
        a = shown[k] if k < len(shown) else "(nothing)"
        b = got[k] if k < len(got) else "(nothing)"
        if a != b:
            return k, a, b
    return None


def cmd_check(args):
    files = lecture_files(args.only)
    if not files:
        print("lectures: no lecture matches", file=sys.stderr)
        return 2
    bad = 0
    commands = 0
    with tempfile.TemporaryDirectory(prefix="postino-lectures-") as base:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(lambda p: (p, run_lecture(p, args.build, base)), files))
    for path, (_, results, problems) in outcomes:
        rel = os.path.relpath(path, ROOT)
        for p in problems:
            print(os.path.relpath(p, ROOT) if p.startswith(ROOT) else p)
            bad += 1
        for _, rs in results:
            for lineno, cmd, shown, got, status in rs:
                commands += 1
                if status != 0:
                    print(f"{rel}:{lineno}: `{cmd}` exited with status {status} "
                          f"(append `|| echo \"exit status $?\"` if the failure is the lesson)")
                    for g in got[-5:]:
                        print(f"    | {g}")
                    bad += 1
                    continue
                d = first_difference(shown, got)
                if d:
                    k, a, b = d
                    print(f"{rel}:{lineno + 1 + k}: the output of `{cmd}` differs at its line {k + 1}:\n"
                          f"    lecture: {a}\n    actual:  {b}\n"
                          f"  (scripts/lectures.sh update rewrites the shown outputs)")
                    bad += 1
    print(f"lectures: {len(files)} lecture files, {commands} commands run, {bad} problem(s)")
    return 1 if bad else 0


def cmd_update(args):
    files = lecture_files(args.only)
    with tempfile.TemporaryDirectory(prefix="postino-lectures-") as base:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(lambda p: (p, run_lecture(p, args.build, base)), files))
    failed = 0
    for path, (lines, results, problems) in outcomes:
        for p in problems:
            print(p)
            failed += 1
        # Rewrite from the bottom so earlier line numbers stay valid.
        for b, rs in reversed(results):
            new = []
            for lineno, cmd, shown, got, status in rs:
                if status != 0:
                    print(f"{os.path.relpath(path, ROOT)}:{lineno}: `{cmd}` exited with status {status}")
                    failed += 1
                new.append(b.indent + "$ " + cmd)
                new.extend((b.indent + g) if g else g for g in got)
            lines[b.start:b.start + len(b.lines)] = new
        text = "\n".join(lines)
        with open(path, encoding="utf-8", newline="") as f:
            old = f.read()
        if text != old:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            print(f"updated {os.path.relpath(path, ROOT)}")
    rc = figures(args, check=False)
    return 1 if failed else rc


# ---- figures -----------------------------------------------------------------

def mermaid_figure(build, scenario, extra, lang, tmp):
    """The Mermaid diagram of a scenario run: `postino run SCENARIO EXTRA --mermaid`."""
    out = os.path.join(tmp, "fig.md")
    cmd = [os.path.join(build, "postino"), "run", os.path.join(ROOT, scenario), "--quiet", "--mermaid", out]
    cmd += extra.split()
    if lang != "en":
        cmd += ["--lang", lang]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    if not os.path.exists(out):
        raise RuntimeError(f"`{' '.join(cmd)}` wrote no diagram")
    with open(out, encoding="utf-8") as f:
        return f.read().rstrip("\n").split("\n")


def shot_figure(build, scenario, extra, lang, png, report):
    """A visualizer screenshot: postino-viz SCENARIO --screenshot PNG EXTRA, under
    xvfb-run; returns the moment it shows (from --report): cursor, time, probes."""
    xvfb = shutil.which("xvfb-run")
    cmd = [xvfb, "-a", "-s", "-screen 0 1280x800x24", os.path.join(build, "postino-viz"),
           scenario, "--screenshot", png, "--report", report]
    cmd += extra.split()
    if "--size" not in extra.split():
        cmd += ["--size", SHOT_SIZE]
    if lang != "en":
        cmd += ["--lang", lang]
    env = dict(os.environ, LIBGL_ALWAYS_SOFTWARE="1")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120, env=env,
                       cwd=ROOT)
    if p.returncode != 0 or not os.path.exists(report):
        raise RuntimeError(f"`{' '.join(cmd[4:])}` failed: {p.stdout.decode(errors='replace').strip()}")
    with open(report, encoding="utf-8") as f:
        r = json.load(f)
    for p in r["probes"]:
        # The narration shows a lecture step that does not resolve: `lecture:FILE:LINE: step ...`.
        if p["name"].startswith("lecture:") and ".md:" in p["name"]:
            raise RuntimeError(f"the visualizer reports a lecture problem: {p['name'][len('lecture:'):]}")
    return {
        "scenario": scenario,
        "args": extra.strip(),
        "lang": lang,
        "index": r["index"],
        "time": r["time"],
        "probes": sorted(f"{p['name']} {p['color']}" for p in r["probes"]),
    }


def figure_markers(path):
    """Yields (kind, marker line index, end line index or None, match) per figure."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    figs = []
    for i, text in enumerate(lines):
        m = FIG_MERMAID.match(text)
        if m:
            end = next((j for j in range(i + 1, len(lines)) if lines[j] == FIG_END), None)
            if end is None:
                raise SystemExit(f"{path}:{i + 1}: a mermaid figure without `{FIG_END}`")
            figs.append(("mermaid", i, end, m))
        m = FIG_SHOT.match(text)
        if m:
            figs.append(("shot", i, None, m))
    return lines, figs


def figures(args, check):
    files = lecture_files(args.only)
    problems = []
    lock = {}
    if os.path.exists(LOCK):
        with open(LOCK, encoding="utf-8") as f:
            lock = json.load(f)
    new_lock = dict(lock)
    shots = []
    have_xvfb = shutil.which("xvfb-run") is not None
    with tempfile.TemporaryDirectory(prefix="postino-figures-") as tmp:
        for path in files:
            rel = os.path.relpath(path, ROOT)
            lang = lang_of(path)
            lines, figs = figure_markers(path)
            changed = False
            for kind, i, end, m in reversed(figs):
                if kind == "mermaid":
                    scenario, extra = m.group(1), m.group(2)
                    try:
                        got = mermaid_figure(args.build, scenario, extra, lang, tmp)
                    except RuntimeError as e:
                        problems.append(f"{rel}:{i + 1}: {e}")
                        continue
                    if lines[i + 1:end] != got:
                        if check:
                            problems.append(f"{rel}:{i + 1}: the Mermaid figure of {scenario}{extra} is out of date "
                                            f"(scripts/lectures.sh update)")
                        else:
                            lines[i + 1:end] = got
                            changed = True
                else:
                    png, scenario, extra = m.group(1), m.group(2), m.group(3)
                    target = os.path.normpath(os.path.join(os.path.dirname(path), png))
                    shots.append((rel, i, target, scenario, extra, lang))
            if changed:
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write("\n".join(lines))
                print(f"updated figures in {rel}")
        if shots and not have_xvfb:
            print("lectures: xvfb-run is missing: screenshots not " + ("checked" if check else "made"))
            if check and not problems:
                return SKIP

        def one(job):
            k, (rel, i, target, scenario, extra, lang) = job
            key = os.path.relpath(target, LECTURES)
            png = os.path.join(tmp, f"shot{k}.png") if check else target
            os.makedirs(os.path.dirname(png), exist_ok=True)
            try:
                moment = shot_figure(args.build, scenario, extra, lang, png, os.path.join(tmp, f"shot{k}.json"))
            except RuntimeError as e:
                return [f"{rel}:{i + 1}: {e}"], None
            if not check:
                return [], (key, moment)
            out = []
            if key not in lock:
                out.append(f"{rel}:{i + 1}: {key} has no recorded moment in lectures/figures.lock.json "
                           f"(scripts/lectures.sh update)")
            elif lock[key] != moment:
                diff = [f for f in moment if lock[key].get(f) != moment[f]]
                out.append(f"{rel}:{i + 1}: {key} is out of date: {', '.join(diff)} changed "
                           f"(scripts/lectures.sh update)")
            elif not os.path.exists(target):
                out.append(f"{rel}:{i + 1}: {key} is missing (scripts/lectures.sh update)")
            return out, None

        if shots and have_xvfb:
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                for out, entry in pool.map(one, list(enumerate(shots))):
                    problems.extend(out)
                    if entry:
                        new_lock[entry[0]] = entry[1]
    if not check:
        wanted = {os.path.relpath(s[2], LECTURES) for s in shots}
        if not args.only:
            new_lock = {k: v for k, v in new_lock.items() if k in wanted}
        if new_lock != lock:
            with open(LOCK, "w", encoding="utf-8") as f:
                json.dump(new_lock, f, indent=1, sort_keys=True, ensure_ascii=False)
                f.write("\n")
            print("updated lectures/figures.lock.json")
    for p in problems:
        print(p)
    n_m = sum(1 for p in files for f in figure_markers(p)[1] if f[0] == "mermaid")
    print(f"lectures: {n_m} Mermaid figures, {len(shots)} screenshots, {len(problems)} problem(s)")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description="Run, check and regenerate the lectures' commands and figures")
    ap.add_argument("action", choices=["check", "update", "figures"])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "dev"),
                    help="the build directory holding postino and postino-viz")
    ap.add_argument("--only", default="", help="only the lecture files matching this glob (lectures/it/08-*)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", action="store_true", help="figures: compare instead of writing")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    if not os.path.exists(os.path.join(args.build, "postino")):
        print(f"lectures: no postino in {args.build} (build it, or pass --build DIR)", file=sys.stderr)
        return 2
    if args.action == "check":
        return cmd_check(args)
    if args.action == "update":
        return cmd_update(args)
    return figures(args, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
