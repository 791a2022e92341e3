"""`ris3hub schedule` end to end, as a separate process: files, exit codes, messages."""

import json
import subprocess
import sys

import pytest

from ris3hub.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", "schedule", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_schedule_writes_a_checked_schedule(tmp_path, make_event):
    event = tmp_path / "event.json"
    event.write_text(json.dumps(make_event(n_slots=3, tables=1, meetings=[[1, 2], [2, 3], [1, 3]])))
    out = tmp_path / "schedule.json"
    result = run(event, "-o", out, "--time-limit", "5")
    assert result.returncode == 0, result.stderr
    schedule = json.loads(out.read_text())
    assert len(schedule["assignments"]) == 3 and schedule["unscheduled"] == [] and schedule["proven_optimal"]
    assert "scheduled 3 of 3 meetings" in result.stderr
    assert [f.name for f in tmp_path.iterdir()] != [] and not list(tmp_path.glob(".schedule.json.*"))


def test_invalid_event_exits_2_names_the_element_and_writes_nothing(tmp_path, make_event):
    document = make_event(n_slots=2, meetings=[[1, 2], [1, 9]])
    document["participants"].append({"id": "p1"})
    event = tmp_path / "event.json"
    event.write_text(json.dumps(document))
    out = tmp_path / "schedule.json"
    result = run(event, "-o", out)
    assert result.returncode == 2
    assert 'participants[3] "p1": duplicate id "p1" (first used by participants[0])' in result.stderr
    assert 'meetings[1] "m2": "participants"[1] "p9" is not a known participant' in result.stderr
    assert not out.exists()


def test_malformed_json_exits_2_with_line_and_column(tmp_path):
    event = tmp_path / "event.json"
    event.write_text('{"slots": [],\n "places": [}')
    result = run(event, "-o", tmp_path / "out.json")
    assert result.returncode == 2
    assert f"{event}: line 2, column 13: malformed JSON" in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_previous_schedule_and_bad_options(tmp_path, make_event, capsys):
    document = make_event(n_slots=2, tables=1, people=4, meetings=[[1, 2]])
    event, first, second = tmp_path / "event.json", tmp_path / "first.json", tmp_path / "second.json"
    event.write_text(json.dumps(document))
    assert main(["schedule", str(event), "-o", str(first), "--time-limit", "3", "--quiet"]) == 0
    document["meetings"].append({"id": "m2", "participants": ["p3", "p4"]})
    event.write_text(json.dumps(document))
    assert main(["schedule", str(event), "-o", str(second), "--previous", str(first), "--freeze", "--quiet"]) == 0
    assert json.loads(second.read_text())["moved"] == []
    assert main(["schedule", str(event), "-o", str(second), "--freeze"]) == 2
    assert "--freeze needs --previous OLD.json" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["schedule", str(event), "-o", str(second), "--time-limit", "0"])
    assert stopped.value.code == 2
    assert "the time limit must be more than 0 seconds" in capsys.readouterr().err
