"""Management commands given bad input: a one-line error naming the option, file, row or
field, a non-zero exit, no traceback, and nothing half-written.

``call_command`` raises the ``CommandError`` that ``manage.py`` prints as one line and
exits 1 with; two runs of ``manage.py`` itself check that path end to end. The seed
files' errors are in ``tests/core/test_seed.py``, the judged corpus's in
``tests/search/test_evaluation.py``.
"""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from cms.clusters.models import ClusterProfile
from cms.clusters.spreadsheet import MAX_ROWS
from cms.projections import generation
from cms.search.models import SearchDocument

HEADER = "slug,country,sectors,name_en,name_cs"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def manage(*args, cwd, **env) -> subprocess.CompletedProcess:
    """``python manage.py …`` with the test settings and a database of its own (unused)."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        # Never the suite's own database (CI's PostgreSQL stage sets DATABASE_URL).
        "DATABASE_URL": f"sqlite:///{cwd}/unused.sqlite3",
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- import_clusters / export_clusters ---------------------------------------------------


@pytest.fixture
def clusters_csv(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(
        f"{HEADER}\nbrno-bio,CZ,food,Brno Bio,Brněnský bio\nzz-bad,ZZ,food,Nowhere,\n",
        encoding="utf-8",
    )
    return path


def test_an_unknown_country_option_is_named_not_a_silent_empty_import(db, clusters_csv):
    with pytest.raises(CommandError, match=r"^--country: unknown country XX; use one of: AT, CZ"):
        run("import_clusters", str(clusters_csv), country=["cz", "XX"])
    with pytest.raises(CommandError, match=r"^--country: unknown country INT"):  # the hub
        run("import_clusters", str(clusters_csv), country=["INT"])


def test_skip_invalid_without_commit_is_refused(db, clusters_csv):
    with pytest.raises(CommandError, match="--skip-invalid .* with --commit"):
        run("import_clusters", str(clusters_csv), skip_invalid=True)


def run_with_errors(*args, **options) -> tuple[str, str]:
    """``run``, also giving what the command wrote to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_of_a_file_with_row_errors_exits_non_zero(db, clusters_csv):
    """A dry run exited 0 with the row errors among the report on stdout, so a script
    took the file for a good one; now the errors go to stderr and the command fails,
    naming how many rows and the option that imports the others."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("import_clusters", str(clusters_csv), stdout=out, stderr=err)
    assert str(refusal.value) == (
        "1 row has errors; nothing was written. "
        "Fix it, or use --commit --skip-invalid to import only the valid rows."
    )
    assert "row 3, column country: unknown country “ZZ”" in err.getvalue()
    assert "row 3" not in out.getvalue()
    assert "1 to create, 0 to update, 0 unchanged, 1 with errors." in out.getvalue()
    # In the language the command speaks (settings.LANGUAGE_CODE), as the rest of its report.
    from django.utils import translation

    from cms.clusters.management.commands.import_clusters import refused_for_row_errors

    with translation.override("cs"):
        assert refused_for_row_errors(2) == (
            "2 řádky obsahují chyby; nic nebylo zapsáno. "
            "Opravte je, nebo importujte jen platné řádky s --commit --skip-invalid."
        )


def test_a_bad_row_on_commit_writes_nothing_and_skipping_it_twice_changes_nothing(db, clusters_csv):
    before = ClusterProfile.objects.count()
    # The admin's "confirm to import only the valid rows" is, here, its option.
    with pytest.raises(CommandError, match="1 row has errors; nothing was written.*--skip-invalid"):
        run("import_clusters", str(clusters_csv), commit=True)
    assert ClusterProfile.objects.count() == before
    first, errors = run_with_errors(
        "import_clusters", str(clusters_csv), commit=True, skip_invalid=True
    )
    assert "row 3, column country: unknown country “ZZ”" in errors
    assert "1 created, 0 updated, 0 unchanged, 1 skipped" in first
    again = run("import_clusters", str(clusters_csv), commit=True, skip_invalid=True)
    assert "0 created, 0 updated, 1 unchanged, 1 skipped" in again
    assert ClusterProfile.objects.count() == before + 1


def test_a_directory_to_import_is_named(db, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(CommandError, match=r"folder\.csv: \[Errno 21\] Is a directory"):
        run("import_clusters", str(tmp_path / "folder.csv"))


def test_an_unknown_country_to_export_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"^--country: unknown country ZZ; use one of"):
        run("export_clusters", str(tmp_path / "out.csv"), country=["ZZ"])
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("where", ["missing/out.csv", "folder.csv"])
def test_an_export_that_cannot_be_written_is_named(db, tmp_path, where):
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(CommandError, match=rf"{tmp_path / where}: \[Errno"):
        run("export_clusters", str(tmp_path / where))


@pytest.mark.parametrize("rows", [0, -5, MAX_ROWS + 1])
def test_bench_import_takes_only_rows_an_import_takes(db, rows):
    with pytest.raises(CommandError, match=f"--rows must be between 1 and {MAX_ROWS}"):
        run("bench_import", rows=rows)


# --- site files -------------------------------------------------------------------------


def test_a_site_file_that_is_not_utf8_is_named(db, tmp_path):
    (tmp_path / "cz.toml").write_bytes('code = "CZ"\nname = "Česko"\n'.encode("cp1250"))
    with pytest.raises(CommandError, match=r"^Invalid site file cz\.toml: \(file\): not UTF-8"):
        run("sync_sites", dir=tmp_path, check=True)


def test_a_file_given_as_the_sites_directory_is_named(db, tmp_path):
    (tmp_path / "cz.toml").write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match=r"cz\.toml: \(directory\): is not a directory"):
        run("sync_sites", dir=tmp_path / "cz.toml")


def test_manage_py_prints_one_line_for_a_bad_site_file(tmp_path):
    """End to end: exit 1 and the file named on stderr, no traceback."""
    (tmp_path / "cz.toml").write_bytes(b"code = \xff\n")
    result = manage("sync_sites", "--check", "--dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "CommandError: Invalid site file cz.toml: (file): not UTF-8 text ('utf-8' codec can't "
        "decode byte 0xff in position 7: invalid start byte)"
    )


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("sync_sites", ["--port", "0"], "argument --port: 0 is not a port: use 1 to 65535"),
        ("sync_sites", ["--port", "http"], "argument --port: not a port number: 'http'"),
        (
            "after_restore",
            ["--backup-taken-at", "0001-01-01T00:00:00+14:00"],
            "'0001-01-01T00:00:00+14:00' is out of range once in UTC",
        ),
    ],
)
def test_an_argument_out_of_range_is_one_line_naming_it(tmp_path, command, arguments, message):
    """``--port 0`` listed all 65,535 ports (448 KB); the early backup time was a traceback."""
    result = manage(command, *arguments, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith(message)
    assert len(result.stderr) < 1000 and "Traceback" not in result.stderr


# --- openapi, benchmarks -----------------------------------------------------------------


def test_an_openapi_output_that_cannot_be_written_is_named(tmp_path):
    target = tmp_path / "missing" / "openapi.json"
    with pytest.raises(CommandError, match=rf"^--output {target}: \[Errno 2\]"):
        run("openapi", output=str(target))


def test_manage_py_openapi_into_a_missing_folder_exits_1_without_a_traceback(tmp_path):
    result = manage("openapi", "--output", "missing/openapi.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: --output missing/openapi.json: [Errno 2]")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"requests": 0}, "--requests and --rounds must be at least 1"),
        ({"rounds": 0}, "--requests and --rounds must be at least 1"),
        ({"requests": -1}, "--requests and --rounds must be at least 1"),
        ({"host": "elsewhere.example"}, "--host elsewhere.example: not in ALLOWED_HOSTS"),
    ],
)
@override_settings(ALLOWED_HOSTS=[".localhost"])
def test_bench_api_cpu_options_out_of_range_are_named(db, monkeypatch, options, message):
    monkeypatch.setenv("BENCH", "1")
    with pytest.raises(CommandError, match=message):
        run("bench_api_cpu", "/api/v3/sectors/", **options)


# --- limits of the workers' commands ----------------------------------------------------


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("check_projections", {"limit": -1}, "--limit must be 0 or more"),
        ("project_pending", {"limit": 0}, "--limit must be at least 1"),
        ("project_pending", {"limit": -1}, "--limit must be at least 1"),
        ("deliver_webhooks", {"limit": 0}, "--limit must be at least 1"),
        ("deliver_webhooks", {"limit": -1}, "--limit must be at least 1"),
        ("search_index_worker", {"interval": -1, "max_rounds": 2}, "--interval must be a"),
        # Both ran a round, then ended in a traceback from time.sleep.
        ("search_index_worker", {"interval": float("nan"), "max_rounds": 2}, "--interval must"),
        ("search_index_worker", {"interval": float("inf"), "max_rounds": 2}, "--interval must"),
        ("search_index_worker", {"max_rounds": 0}, "--max-rounds must be at least 1"),
    ],
)
def test_limits_out_of_range_are_named(db, command, options, message):
    with pytest.raises(CommandError, match=message):
        run(command, **options)


# --- a search engine that does not answer --------------------------------------------------


def test_rebuild_with_a_dead_engine_names_it_and_keeps_the_documents(dead_engine):
    before = SearchDocument.objects.count()
    with pytest.raises(CommandError) as error:
        run("rebuild_search_documents", engine=True)
    message = str(error.value)
    assert message.startswith(f"--engine: the search engine at {dead_engine} did not answer: ")
    assert "Connection refused" in message
    assert "\n" not in message
    assert SearchDocument.objects.count() == before


def test_after_restore_with_a_dead_engine_does_the_rest_and_says_what_is_left(dead_engine):
    before = generation.stored()
    out = io.StringIO()
    with (
        override_settings(SEARCH_URL=dead_engine.replace("http://", "opensearch2://")),
        pytest.raises(CommandError) as error,
    ):
        call_command("after_restore", stdout=out)
    assert f"the search engine at {dead_engine} did not answer" in str(error.value)
    assert str(error.value).endswith(
        "Everything else is done: run `manage.py rebuild_search_documents --engine` when the "
        "engine answers."
    )
    assert generation.stored() == before + generation.RESTORE_JUMP
    assert "Projections: 0 differences" in out.getvalue()
    assert "purge the CDN's copies" in out.getvalue()


@pytest.fixture
def scratch_search(db):
    """No search documents, as the benchmark wants its database (before ``dead_engine``)."""
    SearchDocument.objects.all().delete()


def test_bench_search_with_a_dead_engine_names_it_and_leaves_no_rows(scratch_search, dead_engine):
    with pytest.raises(
        CommandError, match=f"^--backend default: the search engine at {dead_engine}"
    ):
        run("bench_search", items=10, queries=2)
    assert not SearchDocument.objects.exists()  # a second run is not refused


def test_a_missing_seed_directory_is_named_before_the_sites_are_touched(db, tmp_path):
    """It synced the sites first (resetting any port ``sync_sites --port`` had set), then
    failed on the directory."""
    from wagtail.models import Site

    Site.objects.update(port=8714)
    with pytest.raises(CommandError, match=r"^Invalid seed file .*nowhere: \(directory\): does"):
        run("load_demo_content", dir=tmp_path / "nowhere")
    assert set(Site.objects.values_list("port", flat=True)) == {8714}
