"""`relu-landscape verify`: re-check a certificate folder without torch.

The check lives in `experiments.verify_certificate` (numpy and python-flint only; imported
by this command alone). Exit 0: valid; 1: a segment's bound does not hold; 2: the
certificate is malformed or untrusted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments._cli_common import Refused

HELP = "re-check a certificate written by certify, in interval arithmetic, without torch"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cert", type=Path, metavar="CERT", help="certificate folder")


def run(args: argparse.Namespace) -> int:
    from experiments import verify_certificate as v

    try:
        print(v.verify(args.cert))
    except v.CertificateError as exc:
        # the verifier shares no code with the project (not even its error base): the
        # refusal is re-raised here, through the one error exit
        raise Refused(f"refused: {exc}") from None
    except v.SegmentFailure as exc:
        print(f"relu-landscape verify: invalid: {exc}", file=sys.stderr)
        return 1
    return 0
