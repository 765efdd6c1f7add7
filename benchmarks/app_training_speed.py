"""Training speed inside the running app versus the same training from the command line.

Usage: python -m benchmarks.app_training_speed [--preset NAME] [--data PATH] [--repeats 3]

Three ways to train the same preset, alternated because this machine's speed drifts between
runs (the medians are compared):
- command line: `python -m mnist_core train`, in the foreground;
- training process: the app's own child process (niced, sending events and weight
  snapshots), started by the registry the server uses, with no page watching;
- app + Chromium: the Train page started and watched in Chromium, charts redrawn twice a
  second, with the browser on the same two cores as the server and the training.
All three report samples per second over training time only. For the app runs it also
prints the CPU seconds used by the training process, the Streamlit server and Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict

from benchmarks.app_server import ROOT, running_app
from benchmarks.training_load import STATUS, images_per_second, start_run, train_page
from mnist_core.presets import PRESETS, preset_config
from mnist_core.runs.registry import TrainingRegistry


def cpu_seconds() -> dict[str, float]:
    """CPU time so far of this machine's processes, grouped by what they are."""
    groups: dict[str, float] = defaultdict(float)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if "chromium" in command:
            group = "chromium"
        elif "streamlit" in command:
            group = "server"
        elif "multiprocessing" in command:
            group = "training process"
        else:
            continue
        groups[group] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return groups


def in_app(url: str, title: str, cpu: list[dict]) -> float:
    with train_page(url) as page:
        start_run(page, title)
        before = cpu_seconds()
        page.locator(STATUS).get_by_text(re.compile("finished")).wait_for(timeout=600_000)
        after = cpu_seconds()
        cpu.append({k: after[k] - before.get(k, 0.0) for k in after})
        return images_per_second(page)


def in_training_process(preset: str, data: str | None) -> float:
    registry = TrainingRegistry(data_path=data)
    try:
        run = registry.wait(registry.submit(preset_config(preset), preset))
    finally:
        registry.shutdown()
    return run.result.samples_per_second


def from_cli(preset: str, data: str | None) -> float:
    command = [sys.executable, "-m", "mnist_core", "train", "--preset", preset, "--json"]
    if data:
        command += ["--data", data]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["samples_per_second"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="keras-rmsprop", choices=list(PRESETS))
    parser.add_argument("--data", default=os.environ.get("MNIST_PATH"))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    env = {"MNIST_PATH": args.data} if args.data else {}
    rates: dict[str, list[float]] = defaultdict(list)
    cpu: list[dict] = []
    with running_app(env) as url:
        for _ in range(args.repeats):
            rates["command line"].append(from_cli(args.preset, args.data))
            rates["training process"].append(in_training_process(args.preset, args.data))
            rates["app + Chromium"].append(in_app(url, str(PRESETS[args.preset].title), cpu))
    cli = statistics.median(rates["command line"])
    print(f"preset {args.preset}: median samples/s of {args.repeats} alternating runs each")
    for name, values in rates.items():
        median = statistics.median(values)
        runs = [round(v) for v in values]
        print(f"{name:18s} {median:9,.0f}  ({1 - median / cli:+.1%} slower)  {runs}")
    used = {k: round(statistics.median(c.get(k, 0.0) for c in cpu), 1) for k in cpu[0]}
    print(f"CPU seconds during an app run (median): {used}")
    print(json.dumps({"rates": rates, "cpu_seconds": used}))


if __name__ == "__main__":
    main()
