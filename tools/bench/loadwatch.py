"""Is the machine quiet enough to believe a timing?  Helpers for the kit's benchmarks.

A benchmark table is only worth publishing when nothing else ran beside it. Two
figures say so:

- the 1-minute load average (os.getloadavg) just before the table, after waiting for
  the benchmark's own previous work to fade from it (see settle()); just after the
  table it is recorded too, but then it includes the benchmark's own threads;
- the CPU used by *other* processes while the table ran, in cores: everything the
  kernel counted as busy (/proc/stat) minus this process and its children.

A table is "idle" when both are at most THRESHOLD (0.5). Used by part1-convnet/bench.py
and part2-pytorch/bench.py; tools/bench/readme.py refuses tables that were not idle.
"""
import json
import os
import platform
import resource
import sys
import time

from tools.atomic import write_text

THRESHOLD = 0.5


def loadavg():
    """The 1-minute load average (None where the system has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _busy_seconds():
    """CPU seconds the whole machine spent busy since boot (None without /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    # cpu user nice system idle iowait irq softirq steal ...; idle and iowait are not busy
    ticks = [int(v) for v in fields[1:9]]
    busy = sum(ticks) - ticks[3] - ticks[4]
    return busy / os.sysconf("SC_CLK_TCK")


def _own_seconds():
    """CPU seconds used by this process, its finished children and its live children
    (DataLoader workers, say, which have not been waited for yet)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    me = str(os.getpid())
    tick = os.sysconf("SC_CLK_TCK")
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return total
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        # the command name (field 2) may hold spaces: split after its closing parenthesis
        rest = stat[stat.rfind(")") + 2:].split()
        if rest[1] == me:        # field 4, the parent pid
            total += (int(rest[11]) + int(rest[12])) / tick    # fields 14, 15: utime, stime
    return total


def settle(max_wait, threshold=THRESHOLD, quiet=False):
    """Wait (at most max_wait seconds) until the 1-minute load average is <= threshold.

    The load average decays with a time constant of one minute, so after a minute of
    benchmarking on one thread it reads about 0.6 even on an idle machine; on such a
    machine this wait takes well under a minute. Returns the load average it ends with.
    """
    deadline = time.monotonic() + max_wait
    load = loadavg()
    if load is not None and load > threshold and max_wait > 0 and not quiet:
        print("(waiting up to %d s for the load average, %.2f, to fall to %.2f)"
              % (max_wait, load, threshold), flush=True)
    while load is not None and load > threshold and time.monotonic() < deadline:
        time.sleep(2)
        load = loadavg()
    return load


class Watch:
    """Records how busy the machine was around one table:

        with Watch("Conv2D", settle_s=240) as w:
            ...time things...
        w.record   # {"load_before", "load_after", "other_cpu", "idle", "seconds"}

    Prints a warning line when the table was not measured on an idle machine.
    """

    def __init__(self, name, settle_s=240, threshold=THRESHOLD):
        self.name, self.settle_s, self.threshold = name, settle_s, threshold
        self.record = None

    def __enter__(self):
        self.load_before = settle(self.settle_s, self.threshold)
        self.t0, self.busy0, self.own0 = time.monotonic(), _busy_seconds(), _own_seconds()
        return self

    def __exit__(self, *exc):
        seconds = time.monotonic() - self.t0
        busy1, own1 = _busy_seconds(), _own_seconds()
        other = None
        if self.busy0 is not None and busy1 is not None and seconds > 0:
            other = max(0.0, ((busy1 - self.busy0) - (own1 - self.own0)) / seconds)
        before, after = self.load_before, loadavg()
        idle = (before is not None and before <= self.threshold
                and other is not None and other <= self.threshold)
        self.record = {"load_before": before, "load_after": after, "other_cpu": other,
                       "idle": idle, "seconds": seconds}
        print("[%s] load average %s before, %s after (includes this benchmark); other "
              "processes used %s cores" % (self.name, _fmt(before), _fmt(after), _fmt(other)))
        if not idle:
            print("WARNING: [%s] the machine was not idle (load average before or other "
                  "processes' CPU above %.1f): these timings are not for publication"
                  % (self.name, self.threshold), flush=True)
        return False


def _fmt(v):
    return "?" if v is None else "%.2f" % v


def machine():
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def write_json(path, data):
    """Write data as JSON to path through a temporary file (never half-written)."""
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def command_line():
    """The command as it was typed, for the record."""
    return " ".join([os.path.basename(sys.executable)] + sys.argv)
