"""``ioemissions pathways`` and the pathways report: files written, identities between them, errors."""

import pandas as pd
import pytest

from ioemissions.cli.main import main


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("pw") / "run"
    assert (
        main(
            [
                "pathways",
                "--scenario",
                "baseline",
                "--scenario",
                "peak-plan",
                "--to",
                "2035",
                "--out",
                str(out),
                "--quiet",
                "--precise",
            ]
        )
        == 0
    )
    return out


def test_writes_tables_and_figures(out):
    names = {p.name for p in out.iterdir()}
    assert {
        "emissions.csv",
        "indicators.csv",
        "embodied_imports.csv",
        "summary.csv",
        "targets.csv",
        "wedges.csv",
        "trajectories.png",
        "wedges.png",
        "value_added_jobs.png",
    } <= names


def test_tables_agree_with_each_other(out):
    em = pd.read_csv(out / "emissions.csv")
    assert list(em.columns) == ["scenario", "year", "region", "basis", "co2 [Mt CO2]"]  # unit in the header
    sh = em.query("region == 'Shanghai' and basis == 'production'").set_index(["scenario", "year"])["co2 [Mt CO2]"]
    summary = pd.read_csv(out / "summary.csv", index_col=0)
    for sc in ("baseline", "peak-plan"):
        s = sh.loc[sc]
        assert summary.at[sc, "production peak year"] == s.idxmax()
        assert summary.at[sc, "production peak level [Mt CO2]"] == pytest.approx(s.max(), rel=1e-12)
    # wedges add up to the difference between the scenarios, year by year
    w = pd.read_csv(out / "wedges.csv").query("basis == 'production'").groupby("year")["co2 [Mt CO2]"].sum()
    diff = sh.loc["peak-plan"] - sh.loc["baseline"]
    pd.testing.assert_series_equal(w, diff, check_names=False, atol=1e-9, rtol=0)
    # indicators carry their units in the headers
    ind = pd.read_csv(out / "indicators.csv")
    assert "jobs [10^4 persons]" in ind.columns and "value_added [10^4 CNY (base-year prices)]" in ind.columns


def test_bad_scenario_is_one_line_with_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\nssp = "SSP7"\n')
    assert main(["pathways", "--scenario", str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ioemissions: error: ScenarioError") and "SSP7" in err and err.count("\n") == 1
    assert main(["pathways", "--scenario", "no-such-scenario", "--quiet"]) == 2
    assert "unknown scenario 'no-such-scenario'" in capsys.readouterr().err
