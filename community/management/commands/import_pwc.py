"""`python manage.py import_pwc FILE...`: the Papers with Code archive, with a progress bar."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community.services.imports.pwc import BATCH_SIZE, pwc_import


def _state_dir() -> Path:
    return Path(settings.BASE_DIR) / "var" / "imports" / "pwc"


class Command(BaseCommand):
    help = (
        "Import files of the Papers with Code archive (CC BY-SA 4.0): papers with abstracts, links "
        "between papers and code, evaluation tables, methods and datasets, as .json, .json.gz or "
        ".parquet, each recognised by its content. Import the papers before the code links and the "
        "evaluation tables so that those find their papers. A rerun of the same file changes nothing; "
        "a newer dump updates what changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dump-date",
            default="",
            help="The date of the archive's dump (kept as each item's source revision).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Continue an interrupted import of the same file where it stopped.",
        )
        parser.add_argument(
            "--report-dir",
            default="",
            help="Where the per-record report (CSV) goes; default var/imports/pwc/.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, CI).")

    def handle(self, *args, files, dump_date, batch_size, resume, report_dir, no_progress, **options) -> None:
        state_dir = _state_dir()
        out_dir = Path(report_dir) if report_dir else state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        out_dir.mkdir(parents=True, exist_ok=True)
        failed = False
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            failed |= not self._one(path, dump_date, batch_size, resume, out_dir, state_dir, no_progress)
        if failed:
            raise CommandError("an archive file could not be imported in full (see above).")

    def _one(self, path, dump_date, batch_size, resume, out_dir, state_dir, no_progress) -> bool:
        stat = path.stat()
        identity = {"file": str(path.resolve()), "size": stat.st_size, "mtime": stat.st_mtime}
        state = state_dir / (
            hashlib.sha1(identity["file"].encode(), usedforsecurity=False).hexdigest() + ".json"
        )
        resume_from = 0
        if resume and state.exists():
            saved = json.loads(state.read_text())
            if {k: saved.get(k) for k in identity} == identity:
                resume_from = saved.get("rows", 0)
                self.stdout.write(f"{path}: resuming after row {resume_from}")

        def checkpoint(rows: int) -> None:
            state.write_text(json.dumps({**identity, "rows": rows}))

        bar = tqdm(total=stat.st_size, unit="B", unit_scale=True, desc=path.name, disable=no_progress)

        def progress(done: int, total: int, counts) -> None:
            if bar.total != total:
                bar.total, bar.unit, bar.unit_scale = total, "rows", False
            bar.update(done - bar.n)
            bar.set_postfix(
                {kind: sum(c.values()) for kind, c in counts.by_kind.items() if kind in ("paper", "result")}
            )

        report_path = out_dir / f"{path.name}.report.csv"
        # A resumed import appends to the report of the run it continues (which has its header).
        mode = "a" if resume_from else "w"
        with path.open("rb") as stream, report_path.open(mode, newline="", encoding="utf-8") as report_file:
            report = pwc_import(
                stream,
                source=path.name,
                revision=dump_date,
                batch_size=batch_size,
                resume_from=resume_from,
                progress=progress,
                checkpoint=checkpoint,
                report_file=report_file,
            )
        bar.close()
        for line in report.lines():
            self.stdout.write(self.style.ERROR(line) if line.lstrip().startswith("ERROR") else line)
        self.stdout.write(f"  per-record report: {report_path}")
        if report.ok:
            state.unlink(missing_ok=True)
        return report.ok
