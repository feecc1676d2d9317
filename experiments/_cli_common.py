"""What every subcommand shares: argument types, refusals, interrupts, where outputs went.

Light on purpose (no torch, no numpy): the command line validates its arguments with
these before any heavy import, so a bad argument is answered at once.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from theory.errors import RelulandscapeError

EXIT_INTERRUPTED = 130


class Refused(RelulandscapeError, ValueError):
    """The command refuses its arguments or its output folder (exit status 2)."""


class Interrupted(RelulandscapeError):
    """SIGINT or SIGTERM stopped a run; what was finished is saved (exit status 130)."""

    exit_code = EXIT_INTERRUPTED


def add_seed_option(parser: argparse.ArgumentParser) -> None:
    """`--seed S`: the run's root seed (`experiments.domains.SEED`, default 0), from which
    `experiments.run` derives every generator and data set."""
    from experiments.domains import SEED

    parser.add_argument("--seed", type=SEED.argparse_type("--seed"), default=0, metavar="S",
                        help=f"root seed, {SEED.expected} (default 0)")


def count_option(flag: str) -> Callable[[str], int]:
    """argparse type of a count option (`experiments.domains.COUNT`: an integer ≥ 1)."""
    from experiments.domains import COUNT

    return COUNT.argparse_type(flag)


def positive_option(flag: str) -> Callable[[str], float]:
    """argparse type of a positive real option (`experiments.domains.POSITIVE`)."""
    from experiments.domains import POSITIVE

    return POSITIVE.argparse_type(flag)


def _width(text: str) -> int:
    from experiments.domains import WIDTH

    return WIDTH.argparse_type("--width")(text)


WIDTH_OPTION = _width  # argparse type of a width m ≥ 2


def out_folder(text: str) -> Path:
    """argparse type: an output folder (an empty string would mean the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("--out must name a folder, got an empty string")
    return Path(text)


def device_name(text: str) -> str:
    """argparse type: "cpu", "cuda" or "cuda:K"; CUDA where it is certainly absent is refused
    here, without torch (`experiments._cuda.cuda_absent`); otherwise torch decides later."""
    value = text.strip()
    if value == "cpu":
        return value
    if value == "cuda" or (
            value.startswith("cuda:") and value[5:].isdigit() and value[5:].isascii()):
        from experiments._cuda import cuda_absent

        reason = cuda_absent()
        if reason:
            raise argparse.ArgumentTypeError(f"{value!r}: CUDA is not available ({reason})")
        return value
    raise argparse.ArgumentTypeError(f"expected cpu, cuda or cuda:K, got {text!r}")


def loss_name(text: str) -> str:
    """argparse type: a catalogue loss name or huber(δ) (checked without sympy/torch)."""
    from theory.errors import UnknownNameError
    from theory.loss_names import check_loss_name

    try:
        return check_loss_name(text)
    except UnknownNameError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def precheck_out(folder: Path, *, owned: tuple[str, ...] = ("run.json",),
                 allowed: tuple[str, ...] | None = None) -> None:
    """Refuse, before any heavy import, an `--out` that no run could take: a file, a folder
    that cannot be created or written, a non-empty folder holding none of `owned` (the
    files a run of the command leaves), or (when `allowed` is given) any other name.
    The full check (`Run.claim`, which compares configurations) comes later."""
    if folder.exists() and not folder.is_dir():
        raise Refused(f"--out {folder} exists and is not a folder")
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir())
        foreign = names if not any(name in names for name in owned) else (
            [] if allowed is None else [n for n in names if n not in allowed])
        if foreign:
            shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
            raise Refused(f"--out {folder} holds files that this command did not write "
                          f"({shown}); choose an empty or new folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise Refused(f"cannot write to --out {str(folder)!r}: not writable")
        return
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise Refused(f"cannot write to --out {str(folder)!r}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise Refused(f"cannot write to --out {str(folder)!r}: {parent} is not writable")


def available_bytes() -> int:
    """Memory this process can still use: MemAvailable where /proc says it, else RAM."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_memory(*, models: int, width: int, samples: int, features: int,
                 hint: str = "Use a smaller --width or --pairs") -> None:
    """Refuse a run whose parameters alone would not fit in memory.

    Estimate: per model, the parameters (W, θ) of m(n + 1) float64 numbers held about six
    times over (parameters, gradient, two Adam moments, the float64 copies of the
    certificate), plus one (N, m) float64 block of activations; the engine keeps its
    other temporaries to fixed-size blocks. The data set (N × (n + 1) float64) is counted
    four times (raw, standardized, augmented, on the device).
    """
    per_model = 6 * 8 * width * (features + 2) + 8 * samples * width
    need = models * per_model + 4 * 8 * samples * (features + 1)
    have = available_bytes()
    if need > 0.8 * have:
        raise Refused(
            f"width {width} with {models} models and {samples} samples of {features} features "
            f"needs ≈ {need / 2**30:.1f} GB; this machine has {have / 2**30:.1f} GB "
            f"available. {hint}")


def done_tasks(store: Path) -> int:
    """How many finished tasks (complete lines) the record store holds."""
    try:
        return store.read_bytes().count(b"\n")
    except OSError:
        return 0


@contextmanager
def interruptible(saved: Callable[[], str]) -> Iterator[None]:
    """Turn SIGINT/SIGTERM inside the block into `Interrupted`; `saved()` says what was
    saved ("3 of 8 batches saved in DIR/records.jsonl")."""
    def on_term(signum, frame):  # SIGTERM behaves like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted — {saved()}; rerun the same command to resume") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def say_written(folder: Path, names: list[str]) -> None:
    """The last line of a command: where its outputs are."""
    shown = ", ".join(names)
    print(f"outputs: {folder.resolve()} ({shown})", file=sys.stdout)
