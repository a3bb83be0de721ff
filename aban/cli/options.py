"""Options shared by several commands, as decorators (one definition each).

``linkage_options`` serves the commands that link records (``link`` and
``dedupe``); ``lcmcr_options`` serves the commands that fit LCMCR (``estimate``
and ``mse``); ``note_options`` and :class:`ProtectedText` serve the commands that
take protected text (custody givers, receivers and notes, a discount's note).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from aban.estimate.strata_data import LcmcrSettings

F = TypeVar("F", bound=Callable[..., Any])

#: The LCMCR defaults of every command (``LcmcrSettings``): 20,000 iterations of
#: burn-in per chain, then 2,000 draws kept at thinning 20 over 2 chains. Chosen
#: over 10,000 burn-in and 1,000 draws at thinning 10 (the defaults of R LCMCR's
#: posterior sampler, of ``fit_lcmcr`` and the demo; R's own Kosovo example thins
#: at 100): on the Kosovo table, seeds 1-10, those left the chains apart (split
#: R-hat above 1.05) in 6 runs of 10, with a median of 15 effective draws; these
#: in 2 of 10, with 88, for 0.4 s a fit instead of 0.2 s. The calibration studies
#: in BENCHMARKS.md ran with 20,000 burn-in (ten times longer chains gave the same
#: coverage). Too short a burn-in misleads; too long only costs time.
LCMCR_DEFAULTS = LcmcrSettings()


def _apply(fn: F, options: tuple[Callable[[F], F], ...]) -> F:
    for option in reversed(options):
        fn = option(fn)
    return fn


def linkage_options(fn: F) -> F:
    """``--threshold``, ``--engine`` and ``--seed``, alike for every linking command."""
    # Imported here: the linkage engine loads pandas, which the commands that only
    # take the LCMCR options need not load.
    from aban.linkage.engine import DEFAULT_THRESHOLD

    options = (
        click.option(
            "--threshold",
            type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
            default=DEFAULT_THRESHOLD,
            show_default=True,
            help="Least average match probability for records to join one person.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            default="duckdb",
            show_default=True,
            help=(
                "duckdb: in memory, writes nothing to disk. spark: Splink's Spark "
                "backend (needs Java); its shuffle blocks go encrypted to a private "
                "folder in the temporary folder (TMPDIR), removed at the end. It runs "
                "locally, or on the cluster of spark_master in [linkage] of aban.toml "
                "or of MASTER, with authentication and encryption on "
                "(docs/settings.md)."
            ),
        ),
        click.option(
            "--seed", type=int, default=1, show_default=True, help="Random seed."
        ),
    )
    return _apply(fn, options)


def lcmcr_options(fn: F) -> F:
    """``--seed``, ``--K``, ``--burnin``, ``--samples``, ``--thinning``,
    ``--chains``, ``--init``, ``--sampler`` and ``--particles``, with the defaults
    of :data:`LCMCR_DEFAULTS`.

    The command receives them under those names (``--K`` as ``k``);
    :func:`lcmcr_settings` turns them into settings.
    """
    options = (
        click.option(
            "--seed",
            type=int,
            default=1,
            show_default=True,
            help="LCMCR seed (stratum i of an estimate by stratum uses seed + i).",
        ),
        click.option(
            "--K",
            "k",
            type=click.IntRange(1),
            default=LCMCR_DEFAULTS.K,
            show_default=True,
            help="LCMCR: most latent classes.",
        ),
        click.option(
            "--burnin",
            type=click.IntRange(0),
            default=LCMCR_DEFAULTS.burnin,
            show_default=True,
            help="LCMCR: iterations discarded per chain.",
        ),
        click.option(
            "--samples",
            type=click.IntRange(1),
            default=LCMCR_DEFAULTS.samples,
            show_default=True,
            help="LCMCR: draws kept, all chains together (per stratum).",
        ),
        click.option(
            "--thinning",
            type=click.IntRange(1),
            default=LCMCR_DEFAULTS.thinning,
            show_default=True,
            help="LCMCR: one draw kept every T iterations.",
        ),
        click.option(
            "--chains",
            type=click.IntRange(1),
            default=LCMCR_DEFAULTS.chains,
            show_default=True,
            help="LCMCR: independent chains.",
        ),
        click.option(
            "--init",
            type=click.Choice(["dispersed", "r", "prior"]),
            default=LCMCR_DEFAULTS.init,
            show_default=True,
            help=(
                "LCMCR: where chains start. r: as R's LCMCR does (lists' "
                "frequencies), to reproduce it; prior: at random; dispersed: the "
                "first chain as R, the others at random, so that chains settling "
                "in different modes are seen to."
            ),
        ),
        click.option(
            "--sampler",
            type=click.Choice(["auto", "gibbs", "smc"]),
            default=LCMCR_DEFAULTS.sampler,
            show_default=True,
            help=(
                "LCMCR: gibbs: Markov chains (R's method), which settle in one "
                "mode of a posterior with several (many sparse lists); smc: "
                "sequential Monte Carlo, which weighs the modes instead, with "
                "Gibbs chains beside it as a check; auto: smc from 10 lists up."
            ),
        ),
        click.option(
            "--particles",
            type=click.IntRange(10),
            default=LCMCR_DEFAULTS.particles,
            show_default=True,
            help="LCMCR with smc: particles in each chain's population.",
        ),
    )
    return _apply(fn, options)


def lcmcr_settings(options: Mapping[str, Any]) -> LcmcrSettings:
    """The LCMCR settings of a command's :func:`lcmcr_options` values."""
    return LcmcrSettings(
        K=options["k"],
        burnin=options["burnin"],
        samples=options["samples"],
        thinning=options["thinning"],
        chains=options["chains"],
        init=options["init"],
        sampler=options["sampler"],
        particles=options["particles"],
    )


_STDIN_TAKEN = "aban.protected_stdin"


class ProtectedText(click.ParamType[str | None]):
    """A protected value (a name, a note); ``-`` reads it where neither shell history
    nor the process list sees it: at a hidden prompt on a terminal, else from
    standard input (one option of a command at most). Empty is None."""

    name = "text"

    def __init__(self, prompt: str) -> None:
        self.prompt = prompt

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str | None:
        if value != "-":
            return str(value)
        if sys.stdin.isatty():
            text: str = click.prompt(
                f"{self.prompt} (hidden; Enter for none)",
                hide_input=True,
                default="",
                show_default=False,
                err=True,
            )
        else:
            meta = ctx.meta if ctx is not None else {}
            if meta.get(_STDIN_TAKEN):
                self.fail(
                    "only one value can come from standard input; type the others "
                    "at a terminal, or give the note with --note-file",
                    param,
                    ctx,
                )
            meta[_STDIN_TAKEN] = True
            text = sys.stdin.read()
        return text.strip() or None


def note_options(what: str, prompt: str) -> Callable[[F], F]:
    """``--note`` (a :class:`ProtectedText`) and ``--note-file``; the command gets
    ``note`` and ``note_file`` and calls :func:`read_note`. ``what`` starts the help
    of ``--note``, ``prompt`` the hidden prompt."""

    def decorate(fn: F) -> F:
        options = (
            click.option(
                "--note",
                type=ProtectedText(prompt),
                help=f"{what} (protected; - to type it unseen).",
            ),
            click.option(
                "--note-file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="Read the note from this UTF-8 file instead.",
            ),
        )
        return _apply(fn, options)

    return decorate


def read_note(note: str | None, note_file: Path | None) -> str | None:
    """The note given with ``--note`` or read from ``--note-file`` (empty is None).

    Raises:
        click.UsageError: both were given, or the file is not UTF-8 text.
    """
    if note_file is None:
        return note
    if note is not None:
        raise click.UsageError("give --note or --note-file, not both")
    try:
        text = note_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise click.UsageError(
            f"{note_file.name}: the note file is not UTF-8 text; save it as UTF-8"
        ) from err
    return text.strip() or None
